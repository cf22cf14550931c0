package io.kpsim.netfilter;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtState;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One node's netfilter datapath: its conntrack, its iptables rules and the base chains of other
 * rule languages (nftables), its devices, addresses and routes, and a seeded random stream (for
 * {@code -m statistic}, {@code numgen random} and NAT port choice). Each method walks one packet
 * through the hooks, every registered function in the kernel's priority order; for the iptables
 * tables alone:
 *
 * <pre>
 * PREROUTING  raw (-300), conntrack in (-200), mangle (-150), nat DST (-100)
 * FORWARD     mangle, filter
 * INPUT       mangle, filter, nat SRC (100), conntrack confirm (INT_MAX)
 * OUTPUT      raw, conntrack in, mangle, nat DST, filter
 * POSTROUTING mangle, nat SRC, conntrack confirm
 * </pre>
 *
 * <p>nftables base chains ({@link HookProgram}s given to {@link #rules(Ruleset, List)}) take their
 * places among these by priority: kube-proxy's {@code filter-prerouting-pre-dnat} at -110 runs
 * after mangle and before DNAT, its nat chains inside the NAT core next to the iptables nat
 * table. A node without iptables ({@code rules(null, programs)}) registers only the programs.
 *
 * <p>A packet dropped before confirmation takes its unconfirmed conntrack with it; a clash at
 * confirmation drops the packet ({@code insert_failed}). Rules are compiled once per
 * {@link #rules(Ruleset)}; the per-packet path builds no strings unless {@link #tracing(boolean)},
 * and one reused {@link Walk} carries every packet. What a caller wishes for the next packet only
 * waits in {@link NextPacket}. Not thread-safe.
 */
public final class NodeDatapath {

    private final Conntrack conntrack;
    private final NodeAddresses addresses;
    private final SplittableRandom random;
    private final XtNetns xt = new XtNetns();
    private final NatCore nat;
    private final LocalAddresses local;
    private final CompiledTable[] compiled = new CompiledTable[Table.values().length];
    private final Walk walk;
    private final Walk replies;
    private Ruleset rules;
    private boolean iptables;
    private List<HookProgram> others = List.of();
    private HookSchedule[] schedules;
    private boolean tracing;
    private final NextPacket next = new NextPacket();
    private boolean linear;

    /**
     * A node.
     *
     * @param conntrack its connection tracker
     * @param rules its iptables rules
     * @param interfaces its devices with their addresses (these addresses and 127.0.0.0/8 are local)
     * @param routes its routing table
     * @param seed seeds the node's random stream
     * @throws IllegalArgumentException when a device name repeats or a route names an unknown device
     */
    public NodeDatapath(
            Conntrack conntrack, Ruleset rules, List<NetInterface> interfaces, List<Route> routes, long seed) {
        if (conntrack == null || rules == null) {
            throw new IllegalArgumentException("a node needs a conntrack and a ruleset");
        }
        this.conntrack = conntrack;
        this.addresses = new NodeAddresses(interfaces, routes);
        this.random = new SplittableRandom(seed);
        this.local = addresses;
        this.nat = new NatCore(conntrack, random, addresses::address);
        RandomChoice choice = (modulus, where) -> (int) (((random.nextInt() & 0xffffffffL) * modulus) >>> 32);
        Routing routing = addresses.routing();
        Skb replySkb = new Skb(null, null, null, conntrack, local, random);
        Skb packetSkb = new Skb(null, null, null, conntrack, local, random);
        replySkb.xt(xt);
        packetSkb.xt(xt);
        this.replies = new Walk(conntrack, nat, choice, replySkb, null);
        this.walk = new Walk(conntrack, nat, choice, packetSkb, new Rejecter(replies, routing));
        rules(rules);
    }

    /** Replaces the iptables rules (as an {@code iptables-restore} would), with fresh counters; other programs stay. */
    public void rules(Ruleset newRules) {
        rules(newRules, others);
    }

    /**
     * Replaces the node's rules: its iptables tables ({@code null} for a node without iptables,
     * whose tables then register nothing) and the base chains of other rule languages (e.g.
     * {@code NftEngine.programs()}), registered after the iptables tables in the order given.
     */
    public void rules(Ruleset newRules, List<HookProgram> programs) {
        xt.rulesReplaced();
        this.iptables = newRules != null;
        this.rules = newRules == null ? Ruleset.empty() : newRules;
        this.others = List.copyOf(programs);
        List<HookProgram> registered = new ArrayList<>();
        for (Table t : Table.values()) {
            compiled[t.ordinal()] = new CompiledTable(rules.table(t), !linear);
            if (iptables) {
                for (Hook h : t.builtinChains()) {
                    registered.add(new IptablesProgram(t, h, compiled[t.ordinal()], nat));
                }
            }
        }
        registered.addAll(others);
        this.schedules = HookSchedule.build(registered);
        walk.schedules(schedules);
        replies.schedules(schedules);
    }

    /**
     * The node's (network namespace's) state of match modules: its ipsets (load them with
     * {@code xt().ipsets(...)}, as {@code ipset restore} would), its {@code -m recent} tables,
     * the per-rule buckets and counters of {@code -m limit} and {@code -m statistic --mode nth}.
     */
    public XtNetns xt() {
        return xt;
    }

    /**
     * Whether the tables are walked rule by rule, as the kernel does, instead of with their
     * {@link DispatchIndex} (the default; same results, fewer rules tested). For measuring and
     * checking the index; recompiles the tables, counters start again.
     */
    public void linearWalk(boolean on) {
        this.linear = on;
        rules(iptables ? rules : null, others);
    }

    /** The iptables rules in force (empty tables on a node without iptables). */
    public Ruleset rules() {
        return rules;
    }

    /** The programs of other rule languages registered besides the iptables tables. */
    public List<HookProgram> programs() {
        return others;
    }

    /**
     * Replaces the node's seeded draws for the random choices rules make ({@code numgen random}):
     * a tracer passes one that follows each branch in turn. NAT port choice keeps the node's
     * stream.
     */
    public void randomChoice(RandomChoice choice) {
        walk.random(choice);
        replies.random(choice);
    }

    /**
     * Makes {@code draws} answer every random draw the rules make, {@code -m statistic} included
     * (a tracer following each branch in turn, {@link PacketTracer}); NAT port choice keeps the
     * node's stream.
     */
    public void explore(BranchDraws draws) {
        randomChoice(draws);
        walk.skb().draws(draws);
        replies.skb().draws(draws);
    }

    /**
     * Whether traces also record each jump, goto and implicit return, so that they list every
     * rule the packet matched as {@code iptables -j TRACE} does (only with {@link #tracing}).
     */
    public void traceEveryRule(boolean on) {
        walk.skb().traceEveryRule(on);
        replies.skb().traceEveryRule(on);
    }

    /**
     * For the next packet only: its {@code skb->mark} as it enters the hooks, and a ctstate given
     * instead of conntrack's lookup ({@code null}: conntrack decides), as {@code kpsim trace
     * --mark} and {@code --ctstate} ask.
     */
    public void nextPacket(int mark, CtState givenState) {
        next.markAndState(mark, givenState);
    }

    /**
     * A fresh node with the same rules, programs, devices and routes but its own conntrack and
     * random stream: what a tracer walks each branch on, so no branch sees another's entries.
     */
    public NodeDatapath copy(Conntrack freshConntrack, long seed) {
        NodeDatapath n =
                new NodeDatapath(freshConntrack, Ruleset.empty(), addresses.interfaces(), addresses.routes(), seed);
        n.rules(iptables ? rules : null, others);
        return n;
    }

    /** The node's devices with their primary addresses. */
    public List<NetInterface> interfaces() {
        return addresses.interfaces();
    }

    /** What runs at {@code hook}, in order, e.g. {@code raw -300, conntrack, mangle -150, NAT [nat -100]}. */
    public String schedule(Hook hook) {
        return schedules[hook.ordinal()].toString();
    }

    /** The node's conntrack. */
    public Conntrack conntrack() {
        return conntrack;
    }

    /** Whether results carry a step-by-step trace (costs string building per packet). */
    public void tracing(boolean on) {
        this.tracing = on;
    }

    /** The per-rule counters since the rules were loaded. */
    public RuleCounters counters() {
        return new CompiledCounters(compiled);
    }

    /** {@code iptables-save -c}: the rules with their counters. */
    public String save() {
        return IptablesSave.render(rules, counters());
    }

    /** Whether {@code address} is one of the node's (a device address or 127.0.0.0/8). */
    public boolean isLocal(int address) {
        return addresses.isLocal(address);
    }

    /**
     * Whether {@code address} is configured on {@code device} (127.0.0.0/8 on {@code lo}); an alias label such as
     * {@code eth0:1} is an address of {@code eth0}, as {@code ifa_label} is of {@code ifa_dev} in the kernel.
     */
    public boolean isLocalOn(int address, String device) {
        return addresses.isLocalOn(address, device);
    }

    /** The device a packet for {@code dst} leaves by (longest prefix), or {@code null} without a route. */
    public String route(int dst) {
        return addresses.route(dst);
    }

    /** A packet forwarded from {@code inInterface} to {@code outInterface} (routing decided by the caller). */
    public PathResult forward(Packet packet, String inInterface, String outInterface, long nowNanos) {
        return forward(packet, inInterface, outInterface, true, nowNanos);
    }

    /**
     * A packet forwarded from {@code inInterface} to {@code outInterface}.
     *
     * @param l4ChecksumValid false when its layer-4 checksum is known to be wrong
     */
    public PathResult forward(
            Packet packet, String inInterface, String outInterface, boolean l4ChecksumValid, long nowNanos) {
        return forwardWalk(packet, inInterface, outInterface, l4ChecksumValid, nowNanos)
                .result();
    }

    /**
     * {@link #forward(Packet, String, String, boolean, long)} without the record: the datapath's
     * reused {@link Walk}, valid until its next packet ({@link Walk#ctPacked()} and
     * {@link Walk#ctReason()} give conntrack's verdict without a {@link PathResult}). For
     * {@code kpsim replay}, which forwards millions of packets and prints fields, not records.
     */
    public Walk forwardWalk(
            Packet packet, String inInterface, String outInterface, boolean l4ChecksumValid, long nowNanos) {
        Walk w = start(packet, inInterface, PathResult.Path.FORWARD, nowNanos);
        if (w.prerouting(l4ChecksumValid)) {
            w.skb().outInterface(outInterface);
            w.forwardAndOut();
        }
        return w;
    }

    /**
     * A packet arriving on {@code inInterface}: PREROUTING, then the routing decision on the
     * (possibly DNATed) destination: local addresses go to INPUT, the rest by the routing table
     * through FORWARD and POSTROUTING (no route: dropped).
     */
    public PathResult receive(Packet packet, String inInterface, long nowNanos) {
        return receive(packet, inInterface, true, nowNanos);
    }

    /**
     * A packet arriving on {@code inInterface}, routed by the node.
     *
     * @param l4ChecksumValid false when its layer-4 checksum is known to be wrong
     */
    public PathResult receive(Packet packet, String inInterface, boolean l4ChecksumValid, long nowNanos) {
        return receiveWalk(packet, inInterface, l4ChecksumValid, nowNanos).result();
    }

    /**
     * {@link #receive} without the record: the datapath's reused {@link Walk}, valid until its
     * next packet. For callers that forward millions of packets and need the record only when
     * tracing ({@link Walk#result()}).
     */
    public Walk receiveWalk(Packet packet, String inInterface, boolean l4ChecksumValid, long nowNanos) {
        Walk w = start(packet, inInterface, PathResult.Path.FORWARD, nowNanos);
        if (!w.prerouting(l4ChecksumValid)) {
            return w;
        }
        int dst = w.skb().packet().dstIp();
        if (isLocal(dst)) {
            w.path(PathResult.Path.LOCAL_IN);
            w.input();
            return w;
        }
        String out = route(dst);
        if (out == null) {
            w.drop(null, "no route to host " + Ip4.format(dst));
            return w;
        }
        w.skb().outInterface(out);
        w.forwardAndOut();
        return w;
    }

    /**
     * A packet arriving on {@code inInterface} at a node that routes as {@code ip_forward()} does:
     * like {@link #receive}, but a packet to be forwarded with a TTL of 1 or less is dropped
     * before FORWARD (the kernel sends ICMP time-exceeded), and any other has its TTL decremented
     * before FORWARD, so {@code -m ttl} there sees one less. Local delivery keeps the TTL.
     */
    public PathResult receiveRouted(Packet packet, String inInterface, long nowNanos) {
        Walk w = start(packet, inInterface, PathResult.Path.FORWARD, nowNanos);
        if (!w.prerouting(true)) {
            return w.result();
        }
        int dst = w.skb().packet().dstIp();
        if (isLocal(dst)) {
            w.note(Hook.PREROUTING, "routing", Ip4.format(dst) + " is local: delivered to the node (INPUT)");
            w.path(PathResult.Path.LOCAL_IN);
            w.input();
            return w.result();
        }
        String out = route(dst);
        if (out == null) {
            w.drop(null, "no route to host " + Ip4.format(dst));
            return w.result();
        }
        int ttl = w.skb().packet().ttl();
        if (ttl <= 1) {
            w.note(Hook.PREROUTING, "routing", "TTL " + ttl + " expires: not forwarded, ICMP time exceeded sent back");
            w.drop(null, "TTL " + ttl + " expired in transit: ip_forward sends ICMP time exceeded");
            return w.result();
        }
        w.note(Hook.PREROUTING, "routing", "forwarded out " + out + ", TTL " + ttl + " -> " + (ttl - 1));
        w.skb().packet(w.skb().packet().decrementTtl());
        w.skb().outInterface(out);
        w.forwardAndOut();
        return w.result();
    }

    /**
     * A packet a local process sends: OUTPUT (conntrack at LOCAL_OUT, DNAT for Services), the
     * routing decision on the resulting destination, POSTROUTING. A packet for a local address is
     * reported as leaving by {@code lo} without walking INPUT.
     */
    public PathResult send(Packet packet, long nowNanos) {
        Walk w = start(packet, null, PathResult.Path.LOCAL_OUT, nowNanos);
        if (!w.output()) {
            return w.result();
        }
        int dst = w.skb().packet().dstIp();
        String out = isLocal(dst) ? "lo" : route(dst);
        if (out == null) {
            w.drop(null, "no route to host " + Ip4.format(dst));
            return w.result();
        }
        w.skb().outInterface(out);
        w.postrouting();
        return w.result();
    }

    private Walk start(Packet packet, String inInterface, PathResult.Path path, long nowNanos) {
        walk.start(packet, inInterface, path, tracing, nowNanos);
        next.applyTo(walk);
        return walk;
    }

    /**
     * For the next packet only: where its connection was really DNATed (read from the node's own
     * copy in a capture). Each {@code -m statistic} draw that decides between branches is answered
     * the way that reaches a {@code DNAT --to-destination ip:port}, when one can, without taking a
     * draw from the node's seeded stream; the other draws come from that stream, so the same
     * packets and wishes give the same choices.
     *
     * @param port the destination port, or 0 when only the address is known
     */
    public void steerNextDnat(int ip, int port) {
        next.dnat(ip, port);
    }

    /**
     * The {@code -m statistic} draws the last packet made: {@link Skb#DRAWN} (from the seed) and
     * {@link Skb#STEERED} (to a destination named by {@link #steerNextDnat}) bits, 0 for none.
     */
    public int lastStatisticDraws() {
        return walk.skb().statisticDraws();
    }
}
