package io.kpsim.cli;

import io.kpsim.netfilter.Chain;
import io.kpsim.netfilter.NodeDatapath;
import io.kpsim.netfilter.PacketTracer;
import io.kpsim.netfilter.Table;
import io.kpsim.netfilter.TraceOutcome;
import io.kpsim.netfilter.TraceStep;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code kpsim trace} prints, in either format: the packet, every outcome with its
 * probability, and the fields of the most probable outcome (the first of equals) as the trace's
 * own ({@code verdict}, {@code masquerade}, {@code snat}, {@code local}, {@code reject_with},
 * {@code steps}); {@code dnat} lists every outcome's DNAT destination.
 *
 * @param source where the rules came from
 * @param probe the packet and how it arrives
 * @param ctstate the ctstate asked for ({@code NEW} unless {@code --ctstate})
 * @param node a node with the rules (for chain lengths)
 * @param outcomes every outcome, in the order the branches were followed
 */
record PacketTrace(
        String source, PacketTracer.Probe probe, String ctstate, NodeDatapath node, List<TraceOutcome> outcomes) {

    /** The most probable outcome, the first of equals. */
    TraceOutcome main() {
        TraceOutcome best = outcomes.get(0);
        for (TraceOutcome o : outcomes) {
            if (o.probability() > best.probability() + 1e-12) {
                best = o;
            }
        }
        return best;
    }

    /** Every distinct DNAT destination, in outcome order. */
    List<String> dnat() {
        List<String> d = new ArrayList<>();
        for (TraceOutcome o : outcomes) {
            if (o.dnat() != null && !d.contains(o.dnat())) {
                d.add(o.dnat());
            }
        }
        return d;
    }

    /** The probability that the packet is DNATed to {@code target}. */
    double dnatProbability(String target) {
        double p = 0;
        for (TraceOutcome o : outcomes) {
            if (target.equals(o.dnat())) {
                p += o.probability();
            }
        }
        return p;
    }

    /** A probability as a percentage with up to 2 decimals: {@code 50%}, {@code 33.33%}, {@code 0.0001%} when tiny. */
    static String percent(double p) {
        BigDecimal v = BigDecimal.valueOf(p * 100);
        BigDecimal r = v.setScale(2, RoundingMode.HALF_EVEN);
        if (r.signum() == 0 && p > 0) {
            r = v.round(new java.math.MathContext(1, RoundingMode.HALF_EVEN));
        }
        return r.stripTrailingZeros().toPlainString() + "%";
    }

    /**
     * Where a step happened in {@code iptables -j TRACE}'s words: {@code nat:KUBE-SVC-XXXX:rule:2},
     * {@code nat:KUBE-SEP-XXXX:return:3}, {@code filter:FORWARD:policy:5}; the component for a step
     * that is not a rule ({@code conntrack}, {@code nat-core}, {@code reject}).
     */
    String where(TraceStep s) {
        if (s.chainPath().isEmpty()) {
            return s.table();
        }
        String chain = s.chainPath().get(s.chainPath().size() - 1);
        String head = s.table() + ":" + chain + ":";
        if (s.rule() == null && s.action() != null && s.action().startsWith("policy")) {
            return head + "policy:" + (ruleCount(s.table(), chain) + 1);
        }
        if (s.rule() == null && "return".equals(s.action())) {
            return head + "return:" + s.ruleNumber();
        }
        return head + "rule:" + s.ruleNumber();
    }

    private int ruleCount(String table, String chain) {
        for (Table t : Table.values()) {
            if (t.label().equals(table)) {
                Chain c = node.rules().table(t).chain(chain);
                return c == null ? 0 : c.rules().size();
            }
        }
        return 0;
    }
}
