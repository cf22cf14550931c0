package io.kpsim.netfilter;

/**
 * {@code -m mark [!] --mark value[/mask]}: {@code (skb->mark & mask) == value}
 * ({@code mark_mt()} in {@code net/netfilter/xt_mark.c}).
 *
 * @param value the mark bits to compare
 * @param mask which bits of {@code skb->mark} to look at ({@code 0xffffffff} when no mask was given)
 * @param negated {@code !}
 * @param connmark {@code -m connmark}: the conntrack's {@code ct->mark} instead ({@code connmark_mt()}
 *     in {@code net/netfilter/xt_connmark.c}; a packet without a conntrack never matches)
 */
public record MarkMatch(int value, int mask, boolean negated, boolean connmark) implements Match {

    /** {@code -m mark}. */
    public MarkMatch(int value, int mask, boolean negated) {
        this(value, mask, negated, false);
    }

    @Override
    public boolean matches(Skb skb) {
        int mark = connmark ? skb.ctMark() : skb.mark();
        if (connmark && skb.ctEntry() == io.kpsim.conntrack.Conntrack.NO_ENTRY) {
            return false; // connmark_mt(): no conntrack, no match (whatever the negation)
        }
        return ((mark & mask) == value) != negated;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(connmark ? " -m connmark" : " -m mark")
                .append(negated ? " ! --mark " : " --mark ")
                .append(hex(value));
        if (mask != -1) {
            out.append('/').append(hex(mask));
        }
    }

    /** {@code 0x%x} of an unsigned 32-bit value, as {@code libxt_mark} prints it. */
    static String hex(int v) {
        return "0x" + Integer.toHexString(v);
    }

    /** Reads {@code -m mark} / {@code -m connmark}: {@code [!] --mark value[/mask]}. */
    static final class Options extends ModuleBuilder {
        private final boolean connmark;
        private int value;
        private int mask = -1;
        private boolean negated;
        private boolean given;

        Options(boolean connmark) {
            this.connmark = connmark;
        }

        @Override
        String name() {
            return connmark ? "connmark" : "mark";
        }

        @Override
        boolean accepts(String option) {
            return option.equals("--mark");
        }

        @Override
        void option(String option, boolean neg, RuleWords words, RuleSoFar rule) {
            int[] vm = RuleWords.valueMask(words.value(option), -1, option);
            value = vm[0];
            mask = vm[1];
            negated = neg;
            given = true;
        }

        @Override
        Match build(RuleSoFar rule) {
            if (!given) {
                throw new IllegalArgumentException("-m " + name() + " needs --mark");
            }
            return new MarkMatch(value, mask, negated, connmark);
        }
    }
}
