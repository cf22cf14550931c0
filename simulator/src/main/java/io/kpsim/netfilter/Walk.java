package io.kpsim.netfilter;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtResult;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.PackedResult;
import io.kpsim.conntrack.Status;
import io.kpsim.packet.Packet;
import io.kpsim.packet.SackBlock;
import io.kpsim.packet.Seq;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
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
 * {@link PathResult} snapshot (conntrack's {@link CtResult} is built only then).
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
    private CtState ctState;
    private boolean ctIgnored;
    private String ctReason;
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
        ctState = null;
        ctIgnored = false;
        ctReason = null;
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
        return ctSeen ? ctState : null;
    }

    /** Whether conntrack ignored the packet (IGNORE: kept its conntrack, nothing updated). */
    public boolean ctIgnored() {
        return ctSeen && ctIgnored;
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
            ct = CtResult.fromPacked(ctPacked, ctReason);
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
        Packet p = skb.packet();
        if (skb.notrack()) {
            ct = new CtResult(CtState.UNTRACKED, null, Conntrack.NO_ENTRY, CtResult.Verdict.ACCEPT, null, false);
        } else if (p.transport() instanceof TcpSegment t) {
            ctPacked = conntrack.inTcp(
                    p.srcIp(),
                    p.dstIp(),
                    t.srcPort(),
                    t.dstPort(),
                    t.seq(),
                    t.ack(),
                    highestSackEdge(t.ack(), t.options()),
                    t.flags(),
                    t.window(),
                    t.payloadLength(),
                    Conntrack.tcpOptionBits(t.options()),
                    checksumValid,
                    now);
            ctReason = conntrack.lastReason();
        } else {
            ct = conntrack.in(p, checksumValid, now);
        }
        if (trace != null) {
            trace.add(TraceStep.note(hook, "conntrack", describe(ct())));
        }
        boolean conntrackDrop;
        if (ct == null) {
            ctState = PackedResult.state(ctPacked);
            ctIgnored = PackedResult.ignored(ctPacked);
            conntrackDrop = PackedResult.kind(ctPacked) == PackedResult.DROP;
        } else {
            ctState = ct.state();
            ctIgnored = ct.ignored();
            conntrackDrop = ct.verdict() == CtResult.Verdict.DROP;
        }
        if (conntrackDrop) {
            String reason = ct().reason();
            drop(null, "conntrack: " + (reason == null ? "dropped" : reason.replaceFirst("^nf_conntrack: ", "")));
            return false;
        }
        if (ct == null) {
            skb.attach(ctState, PackedResult.direction(ctPacked), PackedResult.entry(ctPacked));
        } else {
            skb.attach(ct.state(), ct.dir(), ct.entry());
        }
        return true;
    }

    /**
     * {@code tcp_sack()}: the SACK right edge furthest after {@code ack}, else {@code ack} (what
     * conntrack's window check takes as the acknowledged end).
     */
    private static int highestSackEdge(int ack, TcpOptions options) {
        List<SackBlock> blocks = options.sackBlocks();
        int sack = ack;
        for (int i = 0; i < blocks.size(); i++) {
            int right = blocks.get(i).right();
            if (Seq.after(right, sack)) {
                sack = right;
            }
        }
        return sack;
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
        if (entry != Conntrack.NO_ENTRY && !conntrack.confirm(entry, now)) {
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
