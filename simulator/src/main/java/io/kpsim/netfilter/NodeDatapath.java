package io.kpsim.netfilter;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtResult;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.Status;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One node's netfilter datapath: its conntrack, its iptables rules, its devices, addresses and
 * routes, and a seeded random stream (for {@code -m statistic} and NAT port choice). Each method
 * walks one packet through the hooks in the kernel's priority order:
 *
 * <pre>
 * PREROUTING  raw (-300), conntrack in (-200), mangle (-150), nat DST (-100)
 * FORWARD     mangle, filter
 * INPUT       mangle, filter, nat SRC (100), conntrack confirm (INT_MAX)
 * OUTPUT      raw, conntrack in, mangle, nat DST, filter
 * POSTROUTING mangle, nat SRC, conntrack confirm
 * </pre>
 *
 * <p>A packet dropped before confirmation takes its unconfirmed conntrack with it; a clash at
 * confirmation drops the packet ({@code insert_failed}). Rules are compiled once per
 * {@link #rules(Ruleset)}; the per-packet path builds no strings unless {@link #tracing(boolean)}.
 * Not thread-safe.
 */
public final class NodeDatapath {

    private final Conntrack conntrack;
    private final List<NetInterface> interfaces;
    private final List<Route> routes;
    private final SplittableRandom random;
    private final NatCore nat;
    private final LocalAddresses local;
    private final Map<Table, CompiledTable> compiled = new EnumMap<>(Table.class);
    private Ruleset rules;
    private boolean tracing;
    private final int[] natDecision = new int[1];

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
    public NodeDatapath(Conntrack conntrack, Ruleset rules, List<NetInterface> interfaces, List<Route> routes,
                        long seed) {
        if (conntrack == null || rules == null) {
            throw new IllegalArgumentException("a node needs a conntrack and a ruleset");
        }
        Set<String> names = new HashSet<>();
        for (NetInterface i : interfaces) {
            if (!names.add(i.name())) {
                throw new IllegalArgumentException("interface " + i.name() + " defined twice");
            }
        }
        for (Route r : routes) {
            if (!names.contains(r.outInterface()) && !r.outInterface().equals("lo")) {
                throw new IllegalArgumentException("route " + r.destination() + " via unknown interface "
                        + r.outInterface() + " (interfaces: " + String.join(", ", names.stream().sorted().toList()) + ")");
            }
        }
        this.conntrack = conntrack;
        this.interfaces = List.copyOf(interfaces);
        this.routes = List.copyOf(routes);
        this.random = new SplittableRandom(seed);
        this.local = this::isLocal;
        this.nat = new NatCore(conntrack, random, this::interfaceAddress);
        rules(rules);
    }

    /** Replaces the rules (as an {@code iptables-restore} would), with fresh counters. */
    public void rules(Ruleset newRules) {
        this.rules = newRules;
        for (Table t : Table.values()) {
            compiled.put(t, new CompiledTable(newRules.table(t)));
        }
    }

    /** The rules in force. */
    public Ruleset rules() {
        return rules;
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
        return new Counters();
    }

    /** {@code iptables-save -c}: the rules with their counters. */
    public String save() {
        return IptablesSave.render(rules, counters());
    }

    /** Whether {@code address} is one of the node's (a device address or 127.0.0.0/8). */
    public boolean isLocal(int address) {
        if ((address >>> 24) == 127) {
            return true;
        }
        for (NetInterface i : interfaces) {
            if (i.address() == address && address != 0) {
                return true;
            }
        }
        return false;
    }

    /** The device a packet for {@code dst} leaves by (longest prefix), or {@code null} without a route. */
    public String route(int dst) {
        Route best = null;
        for (Route r : routes) {
            if (r.destination().contains(dst) && (best == null || r.destination().prefixLength() > best.destination().prefixLength())) {
                best = r;
            }
        }
        return best == null ? null : best.outInterface();
    }

    private int interfaceAddress(String name) {
        for (NetInterface i : interfaces) {
            if (i.name().equals(name)) {
                return i.address();
            }
        }
        return 0;
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
    public PathResult forward(Packet packet, String inInterface, String outInterface, boolean l4ChecksumValid,
                              long nowNanos) {
        Walk w = new Walk(packet, inInterface, nowNanos);
        if (!w.prerouting(l4ChecksumValid)) {
            return w.result(PathResult.Path.FORWARD);
        }
        w.skb.outInterface(outInterface);
        w.forwardAndOut();
        return w.result(PathResult.Path.FORWARD);
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
        Walk w = new Walk(packet, inInterface, nowNanos);
        if (!w.prerouting(l4ChecksumValid)) {
            return w.result(PathResult.Path.FORWARD);
        }
        int dst = w.skb.packet().dstIp();
        if (isLocal(dst)) {
            w.input();
            return w.result(PathResult.Path.LOCAL_IN);
        }
        String out = route(dst);
        if (out == null) {
            w.drop(null, "no route to host " + Ip4.format(dst));
            return w.result(PathResult.Path.FORWARD);
        }
        w.skb.outInterface(out);
        w.forwardAndOut();
        return w.result(PathResult.Path.FORWARD);
    }

    /**
     * A packet a local process sends: OUTPUT (conntrack at LOCAL_OUT, DNAT for Services), the
     * routing decision on the resulting destination, POSTROUTING. A packet for a local address is
     * reported as leaving by {@code lo} without walking INPUT.
     */
    public PathResult send(Packet packet, long nowNanos) {
        Walk w = new Walk(packet, null, nowNanos);
        if (!w.output()) {
            return w.result(PathResult.Path.LOCAL_OUT);
        }
        int dst = w.skb.packet().dstIp();
        String out = isLocal(dst) ? "lo" : route(dst);
        if (out == null) {
            w.drop(null, "no route to host " + Ip4.format(dst));
            return w.result(PathResult.Path.LOCAL_OUT);
        }
        w.skb.outInterface(out);
        w.postrouting();
        return w.result(PathResult.Path.LOCAL_OUT);
    }

    /** One packet's walk: the skb, the running verdict, the trace. */
    private final class Walk {
        final Packet in;
        final Skb skb;
        final long now;
        final List<TraceStep> trace;
        CtResult ct = UNSEEN;
        boolean dropped;
        RuleRef decidedBy;
        String dropReason;

        Walk(Packet packet, String inInterface, long now) {
            this.in = packet;
            this.now = now;
            this.skb = new Skb(packet, inInterface, null, conntrack, local, random);
            this.trace = tracing ? new ArrayList<>() : null;
            nat.now(now);
        }

        boolean prerouting(boolean checksumValid) {
            return table(Table.RAW, Hook.PREROUTING) && track(Hook.PREROUTING, checksumValid)
                    && table(Table.MANGLE, Hook.PREROUTING) && natHook(Hook.PREROUTING);
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
            return table(Table.RAW, Hook.OUTPUT) && track(Hook.OUTPUT, true) && table(Table.MANGLE, Hook.OUTPUT)
                    && natHook(Hook.OUTPUT) && filter(Hook.OUTPUT);
        }

        /** A table other than nat and filter: only a DROP matters. */
        boolean table(Table table, Hook hook) {
            CompiledTable t = compiled.get(table);
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

        boolean filter(Hook hook) {
            CompiledTable t = compiled.get(Table.FILTER);
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
        boolean track(Hook hook, boolean checksumValid) {
            if (skb.notrack()) {
                ct = new CtResult(CtState.UNTRACKED, null, Conntrack.NO_ENTRY, CtResult.Verdict.ACCEPT, null, false);
            } else {
                ct = conntrack.in(skb.packet(), checksumValid, now);
            }
            if (trace != null) {
                trace.add(TraceStep.note(hook, "conntrack", describe(ct)));
            }
            if (ct.verdict() == CtResult.Verdict.DROP) {
                String why = ct.reason() == null ? "dropped" : ct.reason().replaceFirst("^nf_conntrack: ", "");
                drop(null, "conntrack: " + why);
                return false;
            }
            skb.attach(ct.state(), ct.dir(), ct.entry());
            return true;
        }

        boolean natHook(Hook hook) {
            natDecision[0] = 0;
            if (!nat.hook(skb, hook, compiled.get(Table.NAT), trace, natDecision)) {
                drop(compiled.get(Table.NAT).ref(natDecision[0]), null);
                return false;
            }
            return true;
        }

        void confirm(Hook hook) {
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

        PathResult result(PathResult.Path path) {
            String skipped = null;
            if (ct != UNSEEN && (skb.ctState() == CtState.INVALID || skb.ctState() == CtState.UNTRACKED)) {
                skipped = skb.ctState() + ": no conntrack, NAT skipped";
            }
            if (ct == UNSEEN) {
                ct = null;
            }
            return new PathResult(dropped ? PathResult.Verdict.DROP : PathResult.Verdict.ACCEPT, path,
                    dropped ? null : skb.outInterface(), decidedBy, dropReason, ct, in, skb.packet(),
                    skb.natApplied(), skipped, trace == null ? List.of() : List.copyOf(trace));
        }
    }

    private static final CtResult UNSEEN =
            new CtResult(CtState.INVALID, null, Conntrack.NO_ENTRY, CtResult.Verdict.ACCEPT, "not tracked yet", false);

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

    /** Counters read from the compiled tables. */
    private final class Counters implements RuleCounters {
        @Override
        public long packets(Table table, String chain, int index) {
            CompiledTable t = compiled.get(table);
            return t.packets[t.flatIndex(chain, index)];
        }

        @Override
        public long bytes(Table table, String chain, int index) {
            CompiledTable t = compiled.get(table);
            return t.bytes[t.flatIndex(chain, index)];
        }

        @Override
        public long policyPackets(Table table, String chain) {
            CompiledTable t = compiled.get(table);
            return t.policyPackets[t.chainIndex(chain)];
        }

        @Override
        public long policyBytes(Table table, String chain) {
            CompiledTable t = compiled.get(table);
            return t.policyBytes[t.chainIndex(chain)];
        }
    }
}
