package io.kpsim.netfilter;

/**
 * {@code -m length [!] --length MIN[:MAX]} ({@code length_mt()} in {@code net/netfilter/xt_length.c}):
 * the IPv4 total length ({@code skb_ip_totlen()}) within the inclusive range; {@code MIN:} means
 * up to 65535 and {@code iptables-save} prints both ends when they differ.
 *
 * @param min lowest length
 * @param max highest length
 * @param negated {@code !}
 */
public record LengthMatch(int min, int max, boolean negated) implements Match {

    @Override
    public boolean matches(Skb skb) {
        int len = skb.packet().totalLength();
        return (len >= min && len <= max) != negated;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -m length").append(negated ? " ! --length " : " --length ").append(min);
        if (max != min) {
            out.append(':').append(max);
        }
    }

    /** Reads {@code --length}. */
    static final class Options extends ModuleBuilder {
        private int[] range;
        private boolean negated;

        @Override
        String name() {
            return "length";
        }

        @Override
        boolean accepts(String option) {
            return option.equals("--length");
        }

        @Override
        void option(String option, boolean neg, RuleWords words, RuleSoFar rule) {
            range = RuleWords.portRange(words.value(option), option);
            negated = neg;
        }

        @Override
        Match build(RuleSoFar rule) {
            if (range == null) {
                throw new IllegalArgumentException("-m length needs --length");
            }
            return new LengthMatch(range[0], range[1], negated);
        }
    }
}
