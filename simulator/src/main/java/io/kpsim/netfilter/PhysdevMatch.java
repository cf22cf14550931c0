package io.kpsim.netfilter;

/**
 * {@code -m physdev} ({@code physdev_mt()} in {@code net/netfilter/xt_physdev.c}): the bridge
 * ports a bridged packet came in by and goes out of, with {@code br_netfilter}. A kpsim node
 * routes; it has no bridge, so no packet carries bridge information, and the kernel's rule for
 * that case applies: the match holds exactly when every option given is negated
 * ("Return MATCH if the invert flags of the used options are on"). {@code iptables-save} prints
 * the options in the order in, out, is-in, is-out, is-bridged.
 *
 * @param in {@code --physdev-in} name, or {@code null}
 * @param out {@code --physdev-out} name, or {@code null}
 * @param given which options are present ({@link #IN}, {@link #OUT}, {@link #IS_IN}, ...)
 * @param inverted which of them are negated
 */
public record PhysdevMatch(String in, String out, int given, int inverted) implements Match {

    /** {@code XT_PHYSDEV_OP_IN}. */
    public static final int IN = 1;
    /** {@code XT_PHYSDEV_OP_OUT}. */
    public static final int OUT = 2;
    /** {@code XT_PHYSDEV_OP_BRIDGED}. */
    public static final int BRIDGED = 4;
    /** {@code XT_PHYSDEV_OP_ISIN}. */
    public static final int IS_IN = 8;
    /** {@code XT_PHYSDEV_OP_ISOUT}. */
    public static final int IS_OUT = 16;

    @Override
    public boolean matches(Skb skb) {
        return (given & ~inverted) == 0;
    }

    @Override
    public void save(StringBuilder sb) {
        sb.append(" -m physdev");
        if ((given & IN) != 0) {
            sb.append(not(IN)).append(" --physdev-in ").append(in);
        }
        if ((given & OUT) != 0) {
            sb.append(not(OUT)).append(" --physdev-out ").append(out);
        }
        if ((given & IS_IN) != 0) {
            sb.append(not(IS_IN)).append(" --physdev-is-in");
        }
        if ((given & IS_OUT) != 0) {
            sb.append(not(IS_OUT)).append(" --physdev-is-out");
        }
        if ((given & BRIDGED) != 0) {
            sb.append(not(BRIDGED)).append(" --physdev-is-bridged");
        }
    }

    private String not(int bit) {
        return (inverted & bit) != 0 ? " !" : "";
    }

    /** Reads {@code -m physdev}'s options. */
    static final class Options extends ModuleBuilder {
        private String in;
        private String out;
        private int given;
        private int inverted;

        @Override
        String name() {
            return "physdev";
        }

        @Override
        boolean accepts(String option) {
            return switch (option) {
                case "--physdev-in", "--physdev-out", "--physdev-is-in", "--physdev-is-out", "--physdev-is-bridged" ->
                    true;
                default -> false;
            };
        }

        @Override
        void option(String option, boolean negated, RuleWords words, RuleSoFar rule) {
            int bit = switch (option) {
                case "--physdev-in" -> {
                    in = words.value(option);
                    yield IN;
                }
                case "--physdev-out" -> {
                    out = words.value(option);
                    yield OUT;
                }
                case "--physdev-is-in" -> IS_IN;
                case "--physdev-is-out" -> IS_OUT;
                default -> BRIDGED;
            };
            given |= bit;
            inverted = negated ? inverted | bit : inverted & ~bit;
        }

        @Override
        Match build(RuleSoFar rule) {
            if (given == 0) {
                throw new IllegalArgumentException("-m physdev needs at least one option");
            }
            return new PhysdevMatch(in, out, given, inverted);
        }
    }
}
