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

    /** Reads {@code -m statistic} ({@code libxt_statistic}): random or nth mode. */
    static final class Options extends ModuleBuilder {
        private String mode;
        private double probability = -1;
        private int every = -1;
        private int packet = -1;
        private boolean negated;

        @Override
        String name() {
            return "statistic";
        }

        @Override
        boolean accepts(String option) {
            return switch (option) {
                case "--mode", "--probability", "--every", "--packet" -> true;
                default -> false;
            };
        }

        @Override
        void option(String option, boolean neg, RuleWords words, RuleSoFar rule) {
            String v = words.value(option);
            switch (option) {
                case "--mode" -> {
                    noNegate(neg, option);
                    if (!v.equals("random") && !v.equals("nth")) {
                        throw new IllegalArgumentException(
                                "-m statistic: bad --mode '" + v + "' (expected random or nth)");
                    }
                    mode = v;
                }
                case "--probability" -> {
                    try {
                        probability = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--probability '" + v + "' is not a number");
                    }
                    negated |= neg;
                }
                case "--every" -> {
                    every = RuleWords.number(v, option, 1, Integer.MAX_VALUE);
                    negated |= neg;
                }
                default -> {
                    noNegate(neg, option);
                    packet = RuleWords.number(v, option, 0, Integer.MAX_VALUE);
                }
            }
        }

        @Override
        Match build(RuleSoFar rule) {
            if (mode == null) {
                throw new IllegalArgumentException("-m statistic needs --mode random or --mode nth");
            }
            if (mode.equals("random")) {
                if (every >= 0 || packet >= 0) {
                    throw new IllegalArgumentException("-m statistic: --every and --packet belong to --mode nth");
                }
                if (probability < 0) {
                    throw new IllegalArgumentException("-m statistic needs --mode random --probability p");
                }
                return ofProbability(probability, negated);
            }
            if (probability >= 0) {
                throw new IllegalArgumentException("-m statistic: --probability belongs to --mode random");
            }
            if (every < 0) {
                throw new IllegalArgumentException("-m statistic --mode nth needs --every");
            }
            return new StatisticNthMatch(every, packet < 0 ? 0 : packet, negated);
        }
    }
}
