package io.kpsim.netfilter;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtResult;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.LoggedReason;
import io.kpsim.conntrack.PackedResult;
import io.kpsim.conntrack.Status;
import io.kpsim.packet.Packet;
import java.util.ArrayList;
import java.util.List;

/**
 * One packet's walk through a node's hooks, as {@code nf_hook_slow()} runs the registered
 * functions in priority order: the skb, conntrack's verdict, the running verdict and, when the
 * datapath traces, every step.
 *
 * <p>A datapath is single-threaded and handles one packet at a time, so it reuses one walk (and
 * its skb) for every packet: a simulated node forwarding millions of packets allocates nothing
 * here but the packets NAT rewrites. What {@link NodeDatapath#receiveWalk} returns is therefore
 * only valid until the datapath's next packet; {@link #result()} takes the immutable
 * {@link PathResult} snapshot. Conntrack's verdict is carried in one form, the packed int of
 * {@link PackedResult} with a copy of the {@link LoggedReason}; the {@link CtResult} record, and
 * the kernel's words of the reason, are built only for a snapshot, a trace or a drop message.
 */
public final class Walk {

    private final Conntrack conntrack;
    private final NatCore nat;
    private final CompiledTable[] tables;
    private final int[] natDecision = new int[1];
    private final Skb skb;
    private Packet in;
    private long now;
    private List<TraceStep> trace;
    private PathResult.Path path;
    private boolean ctSeen;
    private int ctPacked;
    private final LoggedReason ctReason = new LoggedReason();
    private CtResult ct;
    private boolean dropped;
    private RuleRef decidedBy;
    private String dropReason;

    Walk(Conntrack conntrack, NatCore nat, CompiledTable[] tables, Skb skb) {
        this.conntrack = conntrack;
        this.nat = nat;
        this.tables = tables;
        this.skb = skb;
    }

    /** Starts the walk of a new packet, forgetting the previous one. */
    void start(Packet packet, String inInterface, PathResult.Path newPath, boolean tracing, long nowNanos) {
        in = packet;
        now = nowNanos;
        path = newPath;
        skb.reset(packet, inInterface);
        trace = tracing ? new ArrayList<>() : null;
        ctSeen = false;
        ctPacked = PackedResult.INVALID;
        ctReason.clear();
        ct = null;
        dropped = false;
        decidedBy = null;
        dropReason = null;
        nat.now(nowNanos);
    }

    /** Sets which way the packet went (known only after the routing decision). */
    void path(PathResult.Path newPath) {
        this.path = newPath;
    }

    /** The skb as the hooks left it. */
    Skb skb() {
        return skb;
    }

    /** Whether the packet survived every hook. */
    public boolean accepted() {
        return !dropped;
    }

    /** The packet as it left (after NAT), or as it was when dropped. */
    public Packet out() {
        return skb.packet();
    }

    /** The device it leaves by; {@code null} for local delivery or when dropped. */
    public String outInterface() {
        return dropped ? null : skb.outInterface();
    }

    /** The ctstate conntrack gave the packet, or {@code null} when it was dropped before conntrack. */
    public CtState ctState() {
        return ctSeen ? PackedResult.state(ctPacked) : null;
    }

    /** Whether conntrack ignored the packet (IGNORE: kept its conntrack, nothing updated). */
    public boolean ctIgnored() {
        return ctSeen && PackedResult.ignored(ctPacked);
    }

    /** The rule or policy that dropped it or that accepted it in filter, or {@code null}. */
    public RuleRef decidedBy() {
        return decidedBy;
    }

    /** For a drop, one line saying why; else {@code null}. */
    public String dropReason() {
        return dropReason;
    }

    /** The immutable record of this walk. */
    public PathResult result() {
        String skipped = null;
        if (ctSeen && (skb.ctState() == CtState.INVALID || skb.ctState() == CtState.UNTRACKED)) {
            skipped = skb.ctState() + ": no conntrack, NAT skipped";
        }
        return new PathResult(
                dropped ? PathResult.Verdict.DROP : PathResult.Verdict.ACCEPT,
                path,
                outInterface(),
                decidedBy,
                dropReason,
                ctSeen ? ct() : null,
                in,
                skb.packet(),
                skb.natApplied(),
                skipped,
                trace == null ? List.of() : List.copyOf(trace));
    }

    /** Conntrack's verdict as a record, built on first use. */
    private CtResult ct() {
        if (ct == null) {
            ct = CtResult.fromPacked(ctPacked, ctReason.described());
        }
        return ct;
    }

    boolean prerouting(boolean checksumValid) {
        return table(Table.RAW, Hook.PREROUTING)
                && track(Hook.PREROUTING, checksumValid)
                && table(Table.MANGLE, Hook.PREROUTING)
                && natHook(Hook.PREROUTING);
    }

    void forwardAndOut() {
        if (table(Table.MANGLE, Hook.FORWARD) && filter(Hook.FORWARD)) {
            postrouting();
        }
    }

    void postrouting() {
        if (table(Table.MANGLE, Hook.POSTROUTING) && natHook(Hook.POSTROUTING)) {
            confirm(Hook.POSTROUTING);
        }
    }

    void input() {
        if (table(Table.MANGLE, Hook.INPUT) && filter(Hook.INPUT) && natHook(Hook.INPUT)) {
            confirm(Hook.INPUT);
        }
    }

    boolean output() {
        return table(Table.RAW, Hook.OUTPUT)
                && track(Hook.OUTPUT, true)
                && table(Table.MANGLE, Hook.OUTPUT)
                && natHook(Hook.OUTPUT)
                && filter(Hook.OUTPUT);
    }

    /** A table other than nat and filter: only a DROP matters. */
    private boolean table(Table table, Hook hook) {
        CompiledTable t = tables[table.ordinal()];
        if (t.trivial(hook)) {
            return true;
        }
        int d = t.walk(hook, skb, nat, trace);
        if ((d & CompiledTable.DROP) != 0) {
            drop(t.ref(d), null);
            return false;
        }
        return true;
    }

    private boolean filter(Hook hook) {
        CompiledTable t = tables[Table.FILTER.ordinal()];
        if (t.trivial(hook)) {
            return true;
        }
        int d = t.walk(hook, skb, nat, trace);
        RuleRef ref = t.ref(d);
        if ((d & CompiledTable.DROP) != 0) {
            drop(ref, null);
            return false;
        }
        decidedBy = ref;
        return true;
    }

    /** {@code nf_conntrack_in()}, or UNTRACKED after the raw table's NOTRACK. */
    private boolean track(Hook hook, boolean checksumValid) {
        ctSeen = true;
        if (skb.notrack()) {
            ctPacked = PackedResult.UNTRACKED;
            conntrack.untracked(); // up to 5.4 the ignore counter counts it
        } else {
            ctPacked = conntrack.inPacked(skb.packet(), checksumValid, now);
            ctReason.copyFrom(conntrack.lastReason());
        }
        if (trace != null) {
            trace.add(TraceStep.note(hook, "conntrack", describe(ct())));
        }
        if (PackedResult.dropped(ctPacked)) {
            String reason = ctReason.described();
            drop(null, "conntrack: " + (reason == null ? "dropped" : reason.replaceFirst("^nf_conntrack: ", "")));
            return false;
        }
        skb.attach(PackedResult.state(ctPacked), PackedResult.direction(ctPacked), PackedResult.entry(ctPacked));
        return true;
    }

    private boolean natHook(Hook hook) {
        natDecision[0] = 0;
        if (!nat.hook(skb, hook, tables[Table.NAT.ordinal()], trace, natDecision)) {
            drop(tables[Table.NAT.ordinal()].ref(natDecision[0]), null);
            return false;
        }
        return true;
    }

    private void confirm(Hook hook) {
        int entry = skb.ctEntry();
        if (entry == Conntrack.NO_ENTRY) {
            return;
        }
        int kept = conntrack.confirmEntry(entry, now);
        if (kept != Conntrack.NO_ENTRY) {
            if (kept != entry) {
                skb.attach(skb.ctState(), skb.ctDir(), kept); // a resolved clash: nf_ct_set(skb, winner)
            }
        } else {
            skb.attach(skb.ctState(), skb.ctDir(), Conntrack.NO_ENTRY); // freed with the packet
            dropped = true;
            dropReason = "conntrack: insert clash at confirm (insert_failed)";
            if (trace != null) {
                trace.add(TraceStep.note(hook, "conntrack", dropReason));
            }
        }
    }

    void drop(RuleRef ref, String reason) {
        dropped = true;
        decidedBy = ref;
        dropReason = reason != null ? reason : ref == null ? "dropped" : "dropped by " + ref;
        int entry = skb.ctEntry();
        if (entry != Conntrack.NO_ENTRY && (conntrack.status(entry) & Status.CONFIRMED) == 0) {
            conntrack.discardUnconfirmed(entry);
        }
    }

    private static String describe(CtResult ct) {
        StringBuilder s = new StringBuilder().append(ct.state());
        if (ct.dir() != null) {
            s.append(' ').append(ct.dir());
        }
        if (ct.tracked()) {
            s.append(" (entry ").append(ct.entry()).append(')');
        }
        if (ct.ignored()) {
            s.append(", ignored");
        }
        if (ct.reason() != null) {
            s.append(": ").append(ct.reason());
        }
        if (ct.verdict() == CtResult.Verdict.DROP) {
            s.append(", DROP");
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return "Walk[" + in.summary() + (dropped ? " dropped: " + dropReason : " accepted") + "]";
    }
}
