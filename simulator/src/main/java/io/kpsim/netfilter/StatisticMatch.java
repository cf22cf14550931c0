package io.kpsim.netfilter;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * {@code -m statistic --mode random [!] --probability p} ({@code statistic_mt()} in
 * {@code net/netfilter/xt_statistic.c}): matches when {@code (get_random_u32() & 0x7FFFFFFF)}
 * is below the stored threshold. {@code libxt_statistic} stores {@code lround(p * 2^31)} and
 * {@code iptables-save} prints the threshold back with 11 decimals, which is why kube-proxy's
 * {@code 0.3333333333} reads back as {@code 0.33333333349}.
 *
 * @param threshold {@code info->u.random.probability}: the probability in units of 2^-31
 * @param negated {@code !}
 */
public record StatisticMatch(int threshold, boolean negated) implements Match {

    private static final double TWO_31 = 2147483648.0;

    /** Validates the threshold. */
    public StatisticMatch {
        if (threshold < 0) {
            throw new IllegalArgumentException("statistic threshold " + threshold + " is negative");
        }
    }

    /**
     * The match for {@code --probability p} as {@code libxt_statistic} parses it.
     *
     * @throws IllegalArgumentException when p is not in 0..1
     */
    public static StatisticMatch ofProbability(double p, boolean negated) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("--probability " + p + " is not in 0..1");
        }
        long fixed = Math.round(TWO_31 * p);
        return new StatisticMatch((int) Math.min(fixed, Integer.MAX_VALUE), negated);
    }

    /** The probability the kernel actually applies. */
    public double probability() {
        return threshold / TWO_31;
    }

    /** {@code %.11f} of the stored probability, as {@code iptables-save} prints it. */
    public String probabilityText() {
        return new BigDecimal(probability())
                .setScale(11, RoundingMode.HALF_EVEN)
                .toPlainString();
    }

    @Override
    public boolean matches(Skb skb) {
        int decision = skb.statisticDecision();
        if (decision != Skb.UNSTEERED) { // steered to the node's real endpoint: no draw, negation included
            return decision == Skb.TAKE;
        }
        return skb.statisticBelow(threshold) != negated;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -m statistic --mode random")
                .append(negated ? " ! " : " ")
                .append("--probability ")
                .append(probabilityText());
    }
}
