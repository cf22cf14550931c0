package io.kpsim.netfilter;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtState;
import io.kpsim.packet.Packet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One packet's walk through a node's hooks, as {@code nf_hook_slow()} runs the registered
 * functions in priority order ({@link HookSchedule}: iptables tables and nftables base chains
 * interleaved by priority, conntrack, the NAT core): the skb, conntrack's verdict, the running
 * verdict, what a reject sent back and, when the datapath traces, every step. A program's accept
 * ends only that program; a drop (or reject) ends the packet.
 *
 * <p>A datapath is single-threaded and handles one packet at a time, so it reuses one walk (and
 * its skb) for every packet: a simulated node forwarding millions of packets allocates nothing
 * here but the packets NAT rewrites. What {@link NodeDatapath#receiveWalk} returns is therefore
 * only valid until the datapath's next packet; {@link #result()} takes the immutable
 * {@link PathResult} snapshot. Conntrack's hook functions and its verdict on the packet live in
 * {@link ConntrackHooks}.
 */
public final class Walk {

    /** {@link #ctPacked()} when conntrack did not look the packet up. */
    public static final int CT_NOT_SEEN = -1;

    private final NatCore nat;
    private RandomChoice random;
    private final Skb skb;
    private final Context context = new Context();
    /** Sends rejects' replies; {@code null} on a walk that carries such replies itself. */
    private final Rejecter rejecter;

    private HookSchedule[] schedules;
    private Packet in;
    private long now;
    private List<TraceStep> trace;
    /** The steps of a traced packet, reused from one packet to the next (a narrated run traces every one). */
    private final List<TraceStep> steps = new ArrayList<>(16);
    /** {@link #steps} as {@link #steps()} hands it out: read-only, made once. */
    private final List<TraceStep> stepsView = Collections.unmodifiableList(steps);

    private PathResult.Path path;
    private Hook hook;
    private boolean checksumValid;
    /** Conntrack's verdict on the packet, and its hook functions. */
    private final ConntrackHooks ct;

    private boolean dropped;
    private DecidingRule decidedBy;
    private String dropReason;
    private DecidingRule programDecider;
    private RejectWith rejectWith;
    private RejectReply rejected;

    Walk(Conntrack conntrack, NatCore nat, RandomChoice random, Skb skb, Rejecter rejecter) {
        this.ct = new ConntrackHooks(conntrack);
        this.nat = nat;
        this.random = random;
        this.skb = skb;
        this.rejecter = rejecter;
    }

    /** Replaces the random choices the programs make. */
    void random(RandomChoice choice) {
        this.random = choice;
    }

    /** Sets what runs at each hook (when the node's rules change). */
    void schedules(HookSchedule[] newSchedules) {
        this.schedules = newSchedules;
    }

    /** Starts the walk of a new packet, forgetting the previous one. */
    void start(Packet packet, String inInterface, PathResult.Path newPath, boolean tracing, long nowNanos) {
        if (tracing) {
            steps.clear(); // result() copies the steps and steps() is read at once: one list serves every packet
        }
        begin(packet, inInterface, newPath, tracing ? steps : null, nowNanos);
    }

    /**
     * Starts the walk of a reject's reply that the node sends: {@code entry}'s conntrack attached
     * as RELATED in direction {@code dir} ({@code nf_ct_attach()}), or none (it is looked up at
     * OUTPUT like any packet).
     */
    void startReply(Packet packet, int entry, CtDir dir, List<TraceStep> sharedTrace, long nowNanos) {
        begin(packet, null, PathResult.Path.LOCAL_OUT, sharedTrace, nowNanos);
        ct.attachReply(skb, entry, dir);
    }

    private void begin(Packet packet, String inInterface, PathResult.Path newPath, List<TraceStep> t, long nowNanos) {
        in = packet;
        now = nowNanos;
        path = newPath;
        skb.reset(packet, inInterface);
        skb.now(nowNanos);
        trace = t;
        ct.reset();
        dropped = false;
        decidedBy = null;
        dropReason = null;
        rejected = null;
        checksumValid = true;
        nat.now(nowNanos);
    }

    /**
     * Gives the packet {@code state} at the conntrack hook instead of a lookup: ESTABLISHED and
     * RELATED as a reply's, INVALID with no conntrack; no entry is attached, so no NAT binding
     * applies (what {@code kpsim trace --ctstate} asks: how do the rules treat such a packet?).
     */
    void giveState(CtState state) {
        ct.give(state);
    }

    /** Adds a step that is not a rule (e.g. the routing decision) when tracing. */
    void note(Hook at, String component, String what) {
        if (trace != null) {
            trace.add(TraceStep.note(at, component, what));
        }
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
        return ct.state();
    }

    /**
     * Whether conntrack dropped the packet because its table was full: {@code __nf_conntrack_alloc()}
     * found no room, {@code nf_conntrack_in()} counted {@code drop} and returned {@code NF_DROP}. The
     * packet got no ctstate and the kernel does not count it {@code invalid}.
     */
    public boolean ctTableFull() {
        return ct.tableFull();
    }

    /** Whether conntrack ignored the packet (IGNORE: kept its conntrack, nothing updated). */
    public boolean ctIgnored() {
        return ct.ignored();
    }

    /** The rule or policy that dropped it or that accepted it in a filter program, or {@code null}. */
    public DecidingRule decidedBy() {
        return decidedBy;
    }

    /** For a drop, one line saying why; else {@code null}. */
    public String dropReason() {
        return dropReason;
    }

    /** What a reject sent back, or {@code null} when no reject decided the packet. */
    public RejectReply rejected() {
        return rejected;
    }

    /**
     * Conntrack's verdict on the packet as a {@link io.kpsim.conntrack.PackedResult}, or
     * {@link #CT_NOT_SEEN} when conntrack did not look it up (where {@link #result()}'s
     * {@code ct()} is {@code null}): the verdict without building a {@link io.kpsim.conntrack.CtResult}.
     */
    public int ctPacked() {
        return ct.packedSnapshot();
    }

    /** The kernel's words for conntrack's verdict ({@link io.kpsim.conntrack.CtResult#reason()}), or {@code null}. */
    public String ctReason() {
        return ct.reasonText();
    }

    /** The immutable record of this walk. */
    public PathResult result() {
        return new PathResult(
                dropped ? PathResult.Verdict.DROP : PathResult.Verdict.ACCEPT,
                path,
                outInterface(),
                decidedBy,
                dropReason,
                ct.snapshot(),
                in,
                skb.packet(),
                skb.natApplied(),
                natSkipped(),
                rejected,
                trace == null ? List.of() : List.copyOf(trace));
    }

    /** The steps in place, read-only, valid until the datapath's next packet; empty when it does not trace. */
    public List<TraceStep> steps() {
        if (trace == null) {
            return List.of();
        }
        return trace == steps ? stepsView : Collections.unmodifiableList(trace);
    }

    /** {@link PathResult#natApplied()}: the NAT manipulations done, read without the record. */
    public int natApplied() {
        return skb.natApplied();
    }

    /** {@link PathResult#natSkipped()}: why NAT did not touch the packet at all, or {@code null}. */
    public String natSkipped() {
        CtState state = skb.ctState();
        return ct.seen() && (state == CtState.INVALID || state == CtState.UNTRACKED)
                ? state + ": no conntrack, NAT skipped"
                : null;
    }

    boolean prerouting(boolean l4ChecksumValid) {
        this.checksumValid = l4ChecksumValid;
        return run(Hook.PREROUTING);
    }

    void forwardAndOut() {
        if (run(Hook.FORWARD)) {
            postrouting();
        }
    }

    void postrouting() {
        run(Hook.POSTROUTING);
    }

    void input() {
        run(Hook.INPUT);
    }

    boolean output() {
        return run(Hook.OUTPUT);
    }

    /** {@code nf_hook_slow()}: everything registered at {@code h}, in order, until a drop. */
    private boolean run(Hook h) {
        hook = h;
        HookSchedule s = schedules[h.ordinal()];
        for (int i = 0; i < s.size(); i++) {
            boolean ok = switch (s.kind(i)) {
                case PROGRAM -> program(s.program(i));
                case CONNTRACK -> track(h);
                case NAT -> natHook(h, s.natPrograms());
                case CONFIRM -> confirm(h);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Runs a program that is not trivial ({@link HookSchedule} leaves the trivial ones out). */
    private boolean program(HookProgram p) {
        programDecider = null;
        rejectWith = null;
        if (p.run(context)) {
            if (programDecider != null) {
                decidedBy = programDecider;
            }
            return true;
        }
        rejected(hook);
        drop(programDecider, null);
        return false;
    }

    /** Sends a reject's reply when the program that just dropped rejected. */
    private void rejected(Hook h) {
        if (rejectWith != null && rejecter != null) {
            rejected = rejecter.send(rejectWith, skb, h, trace, now);
        }
    }

    /** {@code nf_conntrack_in()} ({@link ConntrackHooks#in}); a drop ends the packet. */
    private boolean track(Hook h) {
        String why = ct.in(h, skb, checksumValid, now, trace);
        if (why != null) {
            drop(null, why);
            return false;
        }
        return true;
    }

    private boolean natHook(Hook h, HookProgram[] programs) {
        programDecider = null;
        rejectWith = null;
        if (!nat.hook(skb, h, programs, context, checksumValid, trace)) {
            rejected(h);
            drop(programDecider, null);
            return false;
        }
        return true;
    }

    /** {@code nf_conntrack_confirm()} ({@link ConntrackHooks#confirm}); a lost clash ends the packet. */
    private boolean confirm(Hook h) {
        String why = ct.confirm(h, skb, now, trace);
        if (why != null) {
            dropped = true;
            dropReason = why;
            return false;
        }
        return true;
    }

    void drop(DecidingRule ref, String reason) {
        dropped = true;
        decidedBy = ref;
        dropReason = reason != null
                ? reason
                : ref == null ? "dropped" : (rejected != null ? "rejected by " : "dropped by ") + ref;
        ct.discardUnconfirmed(skb);
    }

    @Override
    public String toString() {
        return "Walk[" + in.summary() + (dropped ? " dropped: " + dropReason : " accepted") + "]";
    }

    /** What the programs see of this walk ({@code struct nf_hook_state} with the skb). */
    private final class Context implements HookContext {

        @Override
        public Hook hook() {
            return hook;
        }

        @Override
        public Skb skb() {
            return skb;
        }

        @Override
        public NatSetup nat() {
            return nat;
        }

        @Override
        public RandomChoice random() {
            return random;
        }

        @Override
        public long now() {
            return now;
        }

        @Override
        public List<TraceStep> trace() {
            return trace;
        }

        @Override
        public void decidedBy(DecidingRule rule) {
            programDecider = rule;
        }

        @Override
        public void reject(RejectWith how) {
            rejectWith = how;
        }
    }
}
