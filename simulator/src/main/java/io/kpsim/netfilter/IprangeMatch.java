package io.kpsim.netfilter;

import io.kpsim.packet.Ip4;

/**
 * {@code -m iprange [!] --src-range A-B [!] --dst-range C-D} ({@code iprange_mt4()} in
 * {@code net/netfilter/xt_iprange.c}): inclusive address ranges, compared as unsigned numbers;
 * {@code iptables-save} prints the source range first.
 *
 * @param src whether a source range is given
 * @param srcLo first source address
 * @param srcHi last source address
 * @param srcNegated {@code ! --src-range}
 * @param dst whether a destination range is given
 * @param dstLo first destination address
 * @param dstHi last destination address
 * @param dstNegated {@code ! --dst-range}
 */
public record IprangeMatch(
        boolean src, int srcLo, int srcHi, boolean srcNegated, boolean dst, int dstLo, int dstHi, boolean dstNegated)
        implements Match {

    @Override
    public boolean matches(Skb skb) {
        if (src && in(skb.packet().srcIp(), srcLo, srcHi) == srcNegated) {
            return false;
        }
        return !dst || in(skb.packet().dstIp(), dstLo, dstHi) != dstNegated;
    }

    private static boolean in(int a, int lo, int hi) {
        return Integer.compareUnsigned(a, lo) >= 0 && Integer.compareUnsigned(a, hi) <= 0;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -m iprange");
        if (src) {
            out.append(srcNegated ? " ! --src-range " : " --src-range ");
            out.append(Ip4.format(srcLo)).append('-').append(Ip4.format(srcHi));
        }
        if (dst) {
            out.append(dstNegated ? " ! --dst-range " : " --dst-range ");
            out.append(Ip4.format(dstLo)).append('-').append(Ip4.format(dstHi));
        }
    }

    /** Reads {@code -m iprange}: {@code A-B} or a single address. */
    static final class Options extends ModuleBuilder {
        private final int[] range = new int[4];
        private final boolean[] given = new boolean[2];
        private final boolean[] negated = new boolean[2];

        @Override
        String name() {
            return "iprange";
        }

        @Override
        boolean accepts(String option) {
            return option.equals("--src-range") || option.equals("--dst-range");
        }

        @Override
        void option(String option, boolean neg, RuleWords words, RuleSoFar rule) {
            int i = option.equals("--src-range") ? 0 : 1;
            String v = words.value(option);
            int dash = v.indexOf('-');
            int lo = TargetParser.address(dash < 0 ? v : v.substring(0, dash), option);
            int hi = dash < 0 ? lo : TargetParser.address(v.substring(dash + 1), option);
            if (Integer.compareUnsigned(lo, hi) > 0) {
                throw new IllegalArgumentException(option + " range '" + v + "' is reversed");
            }
            range[2 * i] = lo;
            range[2 * i + 1] = hi;
            given[i] = true;
            negated[i] = neg;
        }

        @Override
        Match build(RuleSoFar rule) {
            if (!given[0] && !given[1]) {
                throw new IllegalArgumentException("-m iprange needs --src-range or --dst-range");
            }
            return new IprangeMatch(given[0], range[0], range[1], negated[0], given[1], range[2], range[3], negated[1]);
        }
    }
}
