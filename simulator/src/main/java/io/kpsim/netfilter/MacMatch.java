package io.kpsim.netfilter;

import java.util.Locale;

/**
 * {@code -m mac [!] --mac-source XX:XX:XX:XX:XX:XX} ({@code mac_mt()} in
 * {@code net/netfilter/xt_mac.c}): the Ethernet source of the frame the packet arrived in. The
 * kernel answers no, whatever the negation, for a packet without an Ethernet header (a device
 * that is not {@code ARPHRD_ETHER}, or a locally generated packet). kpsim models no link layer:
 * a packet's source MAC is known only when its caller sets {@link Skb#macSource(long)}, and
 * otherwise the match behaves as for a packet without an Ethernet header.
 *
 * @param mac the address, 48 bits
 * @param negated {@code !}
 */
public record MacMatch(long mac, boolean negated) implements Match {

    @Override
    public boolean matches(Skb skb) {
        long src = skb.macSource();
        if (src == Skb.NO_MAC || skb.inInterface() == null) {
            return false;
        }
        return (src == mac) != negated;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -m mac")
                .append(negated ? " ! --mac-source " : " --mac-source ")
                .append(format(mac));
    }

    /** {@code 02:00:00:00:00:01}: lower-case hex, as {@code libxt_mac} prints it. */
    static String format(long mac) {
        StringBuilder s = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            s.append(String.format(Locale.ROOT, "%02x", (mac >>> (8 * i)) & 0xff));
            if (i > 0) {
                s.append(':');
            }
        }
        return s.toString();
    }

    /** {@code xtables_parse_mac()}: six hex octets separated by colons. */
    static long parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("--mac-source '" + text + "' is not XX:XX:XX:XX:XX:XX");
        }
        long mac = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2 || !p.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException("--mac-source '" + text + "' is not XX:XX:XX:XX:XX:XX");
            }
            mac = (mac << 8) | Integer.parseInt(p, 16);
        }
        return mac;
    }

    /** Reads {@code --mac-source}. */
    static final class Options extends ModuleBuilder {
        private long mac = -1;
        private boolean negated;

        @Override
        String name() {
            return "mac";
        }

        @Override
        boolean accepts(String option) {
            return option.equals("--mac-source");
        }

        @Override
        void option(String option, boolean neg, RuleWords words, RuleSoFar rule) {
            mac = parse(words.value(option));
            negated = neg;
        }

        @Override
        Match build(RuleSoFar rule) {
            if (mac < 0) {
                throw new IllegalArgumentException("-m mac needs --mac-source");
            }
            return new MacMatch(mac, negated);
        }
    }
}
