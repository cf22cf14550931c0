package io.kpsim.netfilter;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.Tuple;
import io.kpsim.packet.Packet;
import java.util.SplittableRandom;

/**
 * One packet on its way through a node's hooks, with the metadata the kernel keeps beside it in
 * {@code struct sk_buff}: {@code skb->mark}, the attached conntrack and {@code ctinfo}
 * ({@code skb->_nfct}), the input and output devices. Matches read it; targets change it.
 *
 * <p>Mutable: NAT replaces {@link #packet}. A datapath keeps one and {@link #reset}s it for each
 * packet (it handles one packet at a time), as the kernel recycles skbs.
 */
public final class Skb {

    private Packet packet;
    private int mark;
    private String inInterface;
    private String outInterface;
    private CtState ctState = CtState.INVALID;
    private CtDir ctDir;
    private int ctEntry = Conntrack.NO_ENTRY;
    private boolean notrack;
    private int ctZone;
    private int natApplied;
    private long steeringDnat = NO_DNAT;
    private int statisticSteer = UNSTEERED;
    private int statisticDraws;
    private long now;
    private long macSource = NO_MAC;
    private XtNetns xt = new XtNetns();
    private final Conntrack conntrack;
    private final LocalAddresses local;
    private final SplittableRandom random;
    /** A tracer's answers to the statistic draws, or {@code null}: draws come from {@link #random}. */
    private BranchDraws draws;
    /** Whether a trace records every rule that matched (jumps and chain ends too), as {@code -j TRACE} does. */
    private boolean traceEveryRule;

    /**
     * A packet entering the hooks.
     *
     * @param packet the packet
     * @param inInterface the device it arrived on ({@code null} for locally generated packets)
     * @param outInterface the device it leaves by, once routed ({@code null} until then)
     * @param conntrack the node's tracker (for {@code --ctstate SNAT,DNAT}); may be {@code null}
     * @param local the node's local addresses (for {@code -m addrtype})
     * @param random the node's seeded stream (for {@code -m statistic --mode random})
     */
    public Skb(
            Packet packet,
            String inInterface,
            String outInterface,
            Conntrack conntrack,
            LocalAddresses local,
            SplittableRandom random) {
        this.packet = packet;
        this.inInterface = inInterface;
        this.outInterface = outInterface;
        this.conntrack = conntrack;
        this.local = local;
        this.random = random;
    }

    /** Makes this the skb of a new packet arriving on {@code device}: no mark, no conntrack, not routed. */
    void reset(Packet newPacket, String device) {
        this.packet = newPacket;
        this.inInterface = device;
        this.outInterface = null;
        this.mark = 0;
        this.ctState = CtState.INVALID;
        this.ctDir = null;
        this.ctEntry = Conntrack.NO_ENTRY;
        this.notrack = false;
        this.ctZone = 0;
        this.natApplied = 0;
        this.steeringDnat = NO_DNAT;
        this.statisticSteer = UNSTEERED;
        this.statisticDraws = 0;
        this.macSource = NO_MAC;
    }

    /** {@link #macSource()} when the frame's Ethernet source is not known. */
    public static final long NO_MAC = -1;

    /** The Ethernet source address of the frame it arrived in (48 bits), or {@link #NO_MAC}. */
    public long macSource() {
        return macSource;
    }

    /** Sets the Ethernet source address (kpsim's devices carry none unless a caller gives one). */
    public void macSource(long mac) {
        this.macSource = mac;
    }

    /** The simulation clock when the packet entered the hooks, in nanoseconds ({@code jiffies} for recent, limit). */
    public long now() {
        return now;
    }

    /** Sets the clock for this packet (the walk does, when it starts). */
    void now(long nanos) {
        this.now = nanos;
    }

    /** The namespace's module state: ipsets, recent tables, per-rule buckets and counters. */
    public XtNetns xt() {
        return xt;
    }

    /** Makes this skb's node use {@code netns}'s module state. */
    void xt(XtNetns netns) {
        this.xt = netns;
    }

    /** The attached conntrack's tuple in direction {@code dir} (call only with an entry attached). */
    public Tuple ctTuple(CtDir dir) {
        return conntrack.tuple(ctEntry, dir);
    }

    /** {@code ct->mark} of the attached conntrack, 0 without one. */
    public int ctMark() {
        return ctEntry == Conntrack.NO_ENTRY || conntrack == null ? 0 : conntrack.mark(ctEntry);
    }

    /** Sets {@code ct->mark}; nothing without a conntrack ({@code CONNMARK} does nothing then). */
    public void ctMark(int value) {
        if (ctEntry != Conntrack.NO_ENTRY && conntrack != null) {
            conntrack.mark(ctEntry, value);
        }
    }

    /** The packet as it is now (after any NAT so far). */
    public Packet packet() {
        return packet;
    }

    /** Replaces the packet (NAT rewrote it, DSCP remarked it). */
    public void packet(Packet rewritten) {
        this.packet = rewritten;
    }

    /** {@code skb->mark}. */
    public int mark() {
        return mark;
    }

    /** Sets {@code skb->mark}. */
    public void mark(int newMark) {
        this.mark = newMark;
    }

    /** The input device name, or {@code null}. */
    public String inInterface() {
        return inInterface;
    }

    /** The output device name, or {@code null} before routing. */
    public String outInterface() {
        return outInterface;
    }

    /** Sets the output device once routing decided it. */
    public void outInterface(String name) {
        this.outInterface = name;
    }

    /** The ctstate {@code -m conntrack} sees. */
    public CtState ctState() {
        return ctState;
    }

    /** The packet's direction relative to its conntrack, or {@code null} without one. */
    public CtDir ctDir() {
        return ctDir;
    }

    /** The attached conntrack entry, or {@link Conntrack#NO_ENTRY}. */
    public int ctEntry() {
        return ctEntry;
    }

    /** Attaches conntrack's verdict ({@code nf_ct_set()}). */
    public void attach(CtState state, CtDir dir, int entry) {
        this.ctState = state;
        this.ctDir = dir;
        this.ctEntry = entry;
    }

    /** The {@code IPS_*} bits of the attached conntrack, 0 without one. */
    public int ctStatus() {
        return ctEntry == Conntrack.NO_ENTRY || conntrack == null ? 0 : conntrack.status(ctEntry);
    }

    /** Whether the raw table's {@code CT --notrack} ran. */
    public boolean notrack() {
        return notrack;
    }

    /** {@code CT --notrack}: conntrack will leave this packet UNTRACKED. */
    public void setNotrack() {
        this.notrack = true;
    }

    /** The conntrack zone the raw table's {@code CT --zone} template gave the packet (0: none, the default zone). */
    public int ctZone() {
        return ctZone;
    }

    /** {@code CT --zone N} ({@code xt_ct_tg()} attaches a template in zone {@code N}); the last one wins. */
    public void setCtZone(int zone) {
        this.ctZone = zone;
    }

    /** The {@link NatCore} {@code APPLIED_*} bits of the manipulations done to this packet so far. */
    int natApplied() {
        return natApplied;
    }

    /** Records a NAT manipulation. */
    void natApplied(int bits) {
        this.natApplied |= bits;
    }

    /** Whether {@code address} is one of the node's own ({@code RTN_LOCAL}). */
    public boolean isLocal(int address) {
        return local != null && local.isLocal(address);
    }

    /** Whether {@code address} is local and on {@code device} ({@link LocalAddresses#isLocalOn}). */
    public boolean isLocalOn(int address, String device) {
        return local != null && local.isLocalOn(address, device);
    }

    /** The next 31 random bits, as {@code get_random_u32() & 0x7FFFFFFF} in {@code xt_statistic}. */
    public int random31() {
        return random.nextInt() & 0x7fffffff;
    }

    /**
     * Whether a {@code -m statistic --mode random} draw falls below {@code threshold} (in units of
     * 2^-31): the seeded stream's 31 bits as {@code statistic_mt()} compares them, or a tracer's
     * answer when one follows every branch ({@link NodeDatapath#explore}).
     */
    public boolean statisticBelow(int threshold) {
        return draws != null ? draws.below31(threshold) : random31() < threshold;
    }

    /** Makes a tracer answer the statistic draws ({@code null}: the seeded stream again). */
    void draws(BranchDraws answers) {
        this.draws = answers;
    }

    /** Whether a trace records jumps and chain ends besides the rules whose targets act. */
    boolean traceEveryRule() {
        return traceEveryRule;
    }

    /** Sets {@link #traceEveryRule()}. */
    void traceEveryRule(boolean on) {
        this.traceEveryRule = on;
    }

    /** {@link #steeringDnat()} when no destination is wanted. */
    static final long NO_DNAT = -1;
    /** A statistic match draws from the seeded stream. */
    static final int UNSTEERED = 0;
    /** A statistic match must match: its rule leads to the wanted destination. */
    static final int TAKE = 1;
    /** A statistic match must not match: its rule does not lead to the wanted destination. */
    static final int PASS = 2;
    /** {@link #statisticDraws()} bit: a draw came from the seeded stream. */
    public static final int DRAWN = 1;
    /** {@link #statisticDraws()} bit: a draw was steered to the wanted destination. */
    public static final int STEERED = 2;

    /**
     * Asks the walk to take, at each {@code -m statistic} draw that can lead there, the branch
     * that DNATs to {@code ip:port} (what the node's own copy of the packet showed; see
     * {@link DnatReach}).
     */
    void steerDnat(int ip, int port) {
        this.steeringDnat = DnatReach.key(ip, port);
    }

    /** The wanted DNAT destination's key, or {@link #NO_DNAT}. */
    long steeringDnat() {
        return steeringDnat;
    }

    /** Set by the table walk around one rule's matches: {@link #TAKE}, {@link #PASS} or {@link #UNSTEERED}. */
    void statisticSteer(int how) {
        this.statisticSteer = how;
    }

    /**
     * How the {@code -m statistic} match being evaluated must answer: {@link #TAKE}, {@link #PASS},
     * or {@link #UNSTEERED} (then by its draw); notes which kind of decision the packet made.
     */
    int statisticDecision() {
        statisticDraws |= statisticSteer == UNSTEERED ? DRAWN : STEERED;
        return statisticSteer;
    }

    /** Which kinds of {@code -m statistic} draw this packet made: {@link #DRAWN}, {@link #STEERED} bits. */
    public int statisticDraws() {
        return statisticDraws;
    }
}
