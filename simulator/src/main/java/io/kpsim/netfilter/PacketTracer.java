package io.kpsim.netfilter;

import io.kpsim.conntrack.CtState;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Sends one packet through a node as the kernel would and reports every way it can end
 * ({@code kpsim trace}). A packet from a local address starts at OUTPUT ({@code ip_local_out()});
 * if it stays on the node it leaves by {@code lo} and comes back through PREROUTING and INPUT, as
 * loopback traffic does. Any other enters PREROUTING on its device, and the routing decision on
 * the (possibly DNATed) destination sends it to INPUT or, TTL checked and decremented as
 * {@code ip_forward()} does, through FORWARD and POSTROUTING.
 *
 * <p>Unlike kube-proxy's test tracer ({@code iptablesTracer} in
 * {@code pkg/proxy/iptables/proxier_test.go}), nothing is skipped: conntrack decides the ctstate
 * (NEW for a first packet) and whether the nat table runs, every table of every hook runs in
 * priority order, and a REJECT sends its reply. Random draws ({@code -m statistic},
 * {@code numgen random}) are not drawn: each branch is followed on a fresh node (a new conntrack,
 * so no branch sees another's entries), depth first over the sequence of draws, and each end is
 * reported with the product of its branches' probabilities; branches that end the same way are
 * merged.
 */
public final class PacketTracer {

    /** The clock of every traced packet (nothing in a trace depends on the time). */
    private static final long NOW = 1_000_000_000L;
    /** More ends than anyone could read: a ruleset that branches this much is refused. */
    static final int MAX_BRANCHES = 10_000;

    private final Supplier<NodeDatapath> freshNode;

    /**
     * A tracer.
     *
     * @param freshNode makes a new node with the rules to trace (its own conntrack); called once per branch
     */
    public PacketTracer(Supplier<NodeDatapath> freshNode) {
        this.freshNode = freshNode;
    }

    /**
     * What to send.
     *
     * @param packet the packet as it enters the node
     * @param inInterface the device it arrives on (ignored for a packet from a local address)
     * @param mark its {@code skb->mark} as it enters
     * @param givenState a ctstate given instead of conntrack's ({@code null}: conntrack decides, NEW for a
     *     first packet)
     */
    public record Probe(Packet packet, String inInterface, int mark, CtState givenState) {}

    /**
     * Every way {@code probe} can end, in the order the branches were followed (a statistic
     * match's "matches" branch first), equal ends merged.
     *
     * @throws IllegalArgumentException when the branches exceed {@value #MAX_BRANCHES}
     */
    public List<TraceOutcome> trace(Probe probe) {
        List<TraceOutcome> outcomes = new ArrayList<>();
        List<int[]> pending = new ArrayList<>();
        pending.add(new int[0]);
        int runs = 0;
        while (!pending.isEmpty()) {
            if (++runs > MAX_BRANCHES) {
                throw new IllegalArgumentException("the rules branch more than " + MAX_BRANCHES
                        + " ways for this packet (-m statistic draws); not traced");
            }
            int[] prefix = pending.remove(pending.size() - 1);
            Draws draws = new Draws(prefix);
            TraceOutcome o = walk(probe, draws);
            merge(outcomes, o.withProbability(draws.probability()));
            for (int i = draws.options.size() - 1; i >= prefix.length; i--) {
                double[] options = draws.options.get(i);
                for (int alt = options.length - 1; alt >= 0; alt--) {
                    if (alt != draws.taken.get(i) && options[alt] > 0) {
                        int[] next = new int[i + 1];
                        for (int k = 0; k < i; k++) {
                            next[k] = draws.taken.get(k);
                        }
                        next[i] = alt;
                        pending.add(next);
                    }
                }
            }
        }
        return outcomes;
    }

    private static void merge(List<TraceOutcome> outcomes, TraceOutcome o) {
        for (int i = 0; i < outcomes.size(); i++) {
            TraceOutcome seen = outcomes.get(i);
            if (seen.sameEnd(o)) {
                outcomes.set(i, seen.withProbability(seen.probability() + o.probability()));
                return;
            }
        }
        outcomes.add(o);
    }

    /** One branch: the packet through a fresh node whose draws {@code draws} answers. */
    private TraceOutcome walk(Probe probe, Draws draws) {
        NodeDatapath node = freshNode.get();
        node.explore(draws);
        node.tracing(true);
        node.traceEveryRule(true);
        node.nextPacket(probe.mark(), probe.givenState());
        Packet p = probe.packet();
        List<PathResult> parts = new ArrayList<>();
        List<Hook> hooks = new ArrayList<>();
        if (node.isLocal(p.srcIp())) {
            PathResult sent = node.send(p, NOW);
            parts.add(sent);
            hooks.add(Hook.OUTPUT);
            hooks.add(Hook.POSTROUTING);
            if (sent.accepted() && "lo".equals(sent.outInterface())) {
                // loopback: the packet comes back in by lo with its conntrack (and given state)
                node.nextPacket(0, probe.givenState());
                PathResult back = node.receive(sent.out(), "lo", NOW);
                parts.add(back);
                hooks.add(Hook.PREROUTING);
                if (back.path() == PathResult.Path.LOCAL_IN) {
                    hooks.add(Hook.INPUT);
                }
            }
        } else {
            PathResult r = node.receiveRouted(p, probe.inInterface(), NOW);
            parts.add(r);
            hooks.add(Hook.PREROUTING);
            if (r.path() == PathResult.Path.LOCAL_IN) {
                hooks.add(Hook.INPUT);
            } else {
                hooks.add(Hook.FORWARD);
                hooks.add(Hook.POSTROUTING);
            }
        }
        return outcome(p, parts, hooks);
    }

    private static TraceOutcome outcome(Packet in, List<PathResult> parts, List<Hook> hooks) {
        PathResult last = parts.get(parts.size() - 1);
        List<TraceStep> steps = new ArrayList<>();
        boolean dnat = false;
        boolean snat = false;
        for (PathResult r : parts) {
            steps.addAll(r.trace());
            dnat |= r.dnat();
            snat |= r.snat();
        }
        if (!last.accepted() && !steps.isEmpty()) {
            // the walk ended where it was dropped: the hooks after that one were not reached
            Hook at = steps.get(steps.size() - 1).hook();
            for (TraceStep step : steps) {
                if (step.table().equals("reject")) { // the steps after it are the reply's
                    at = step.hook();
                    break;
                }
            }
            int cut = hooks.lastIndexOf(at);
            if (cut >= 0) {
                hooks = new ArrayList<>(hooks.subList(0, cut + 1));
            }
        }
        boolean masquerade = false;
        for (TraceStep s : steps) {
            if (s.table().equals("reject")) {
                break; // what follows is the reject's reply
            }
            String action = s.action() == null ? "" : s.action().toUpperCase(java.util.Locale.ROOT);
            masquerade |= s.hook() == Hook.POSTROUTING && action.startsWith("MASQUERADE");
        }
        Packet out = last.out();
        TraceOutcome.Verdict verdict = last.rejected()
                ? TraceOutcome.Verdict.REJECT
                : last.accepted() ? TraceOutcome.Verdict.ACCEPT : TraceOutcome.Verdict.DROP;
        boolean local = last.accepted() && last.path() == PathResult.Path.LOCAL_IN;
        String dnatTo = dnat ? endpoint(out.dstIp(), out.dstPort(), out.protocol()) : null;
        String snatTo = snat || masquerade ? endpoint(out.srcIp(), out.srcPort(), out.protocol()) : null;
        return new TraceOutcome(
                1.0,
                verdict,
                dnatTo,
                snatTo,
                masquerade,
                local,
                last.rejected() ? last.reject().with().toString() : null,
                local ? null : last.outInterface(),
                last.accepted() ? null : last.dropReason(),
                hooks,
                steps,
                last.accepted() ? out : null,
                last.rejected() ? last.reject().sent() : null);
    }

    private static String endpoint(int ip, int port, Protocol protocol) {
        return protocol == Protocol.TCP || protocol == Protocol.UDP ? Ip4.format(ip, port) : Ip4.format(ip);
    }

    /** Answers the draws: the prescribed option for the first ones, the first likely option after. */
    private static final class Draws implements BranchDraws {

        private static final double TWO_31 = 2147483648.0;

        private final int[] prefix;
        final List<double[]> options = new ArrayList<>();
        final List<Integer> taken = new ArrayList<>();
        private double probability = 1.0;

        Draws(int[] prefix) {
            this.prefix = prefix;
        }

        double probability() {
            return probability;
        }

        @Override
        public boolean below31(int threshold) {
            double p = Math.min(1.0, Math.max(0.0, threshold / TWO_31));
            return take(new double[] {p, 1.0 - p}) == 0;
        }

        @Override
        public int below(int modulus, String where) {
            double[] o = new double[modulus];
            java.util.Arrays.fill(o, 1.0 / modulus);
            return take(o);
        }

        private int take(double[] o) {
            int i = options.size();
            int choice;
            if (i < prefix.length) {
                choice = prefix[i];
            } else {
                choice = 0;
                while (o[choice] <= 0) {
                    choice++;
                }
            }
            options.add(o);
            taken.add(choice);
            probability *= o[choice];
            return choice;
        }
    }
}
