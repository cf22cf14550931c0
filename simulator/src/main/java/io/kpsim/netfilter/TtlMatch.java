package io.kpsim.netfilter;

/**
 * {@code -m ttl --ttl-eq N | --ttl-lt N | --ttl-gt N} (and {@code ! --ttl-eq}, stored as
 * {@code IPT_TTL_NE}) ({@code ttl_mt()} in {@code net/netfilter/xt_hl.c}): compares the TTL the
 * packet has at this hook; a forwarded packet's TTL was decremented before FORWARD.
 *
 * @param mode {@link #EQ}, {@link #NE}, {@link #LT} or {@link #GT}
 * @param ttl the value compared
 */
public record TtlMatch(int mode, int ttl) implements Match {

    /** {@code IPT_TTL_EQ}. */
    public static final int EQ = 0;
    /** {@code IPT_TTL_NE}. */
    public static final int NE = 1;
    /** {@code IPT_TTL_LT}. */
    public static final int LT = 2;
    /** {@code IPT_TTL_GT}. */
    public static final int GT = 3;

    @Override
    public boolean matches(Skb skb) {
        int t = skb.packet().ttl();
        return switch (mode) {
            case EQ -> t == ttl;
            case NE -> t != ttl;
            case LT -> t < ttl;
            default -> t > ttl;
        };
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -m ttl")
                .append(
                        switch (mode) {
                            case EQ -> " --ttl-eq ";
                            case NE -> " ! --ttl-eq ";
                            case LT -> " --ttl-lt ";
                            default -> " --ttl-gt ";
                        })
                .append(ttl);
    }

    /** Reads one of {@code --ttl-eq}, {@code --ttl-lt}, {@code --ttl-gt} ({@code libxt_hl}: only eq negates). */
    static final class Options extends ModuleBuilder {
        private int mode = -1;
        private int ttl;

        @Override
        String name() {
            return "ttl";
        }

        @Override
        boolean accepts(String option) {
            return option.equals("--ttl-eq") || option.equals("--ttl-lt") || option.equals("--ttl-gt");
        }

        @Override
        void option(String option, boolean negated, RuleWords words, RuleSoFar rule) {
            if (mode >= 0) {
                throw new IllegalArgumentException("ttl: only one of --ttl-eq, --ttl-lt, --ttl-gt may be given");
            }
            if (!option.equals("--ttl-eq")) {
                noNegate(negated, option);
            }
            ttl = RuleWords.number(words.value(option), option, 0, 255);
            mode = switch (option) {
                case "--ttl-eq" -> negated ? NE : EQ;
                case "--ttl-lt" -> LT;
                default -> GT;
            };
        }

        @Override
        Match build(RuleSoFar rule) {
            if (mode < 0) {
                throw new IllegalArgumentException("-m ttl needs --ttl-eq, --ttl-lt or --ttl-gt");
            }
            return new TtlMatch(mode, ttl);
        }
    }
}
