package io.kpsim.netfilter;

import java.util.List;

/**
 * The words of one rule after {@code -A CHAIN}, read left to right as iptables' {@code getopt}
 * loop reads them, with the pending {@code !} ({@code xtables_check_inverse()}): an option takes
 * the words after it as its values, and a {@code !} before an option negates that option only.
 * The number formats are {@code libxtables}' ({@code xtables_strtoui()}: {@code 0x} hex or decimal).
 */
final class RuleWords {

    private final List<String> words;
    private int pos;
    private boolean negate;

    RuleWords(List<String> words) {
        this.words = words;
    }

    /** Whether words remain. */
    boolean more() {
        return pos < words.size();
    }

    /** Takes the next word. */
    String next() {
        return words.get(pos++);
    }

    /** The next word without taking it, or {@code null} at the end. */
    String peek() {
        return pos < words.size() ? words.get(pos) : null;
    }

    /** Marks the next option negated; refuses a second {@code !}. */
    void negateNext() {
        if (negate) {
            throw new IllegalArgumentException("'!' given twice");
        }
        negate = true;
    }

    /** Whether a {@code !} is still pending (at the end of the rule: it negated nothing). */
    boolean negatePending() {
        return negate;
    }

    /** Takes the value of {@code option}. */
    String value(String option) {
        if (pos >= words.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return words.get(pos++);
    }

    /** Takes the pending {@code !}, for the option just read. */
    boolean takeNegate() {
        boolean n = negate;
        negate = false;
        return n;
    }

    /** Refuses a pending {@code !} before an option iptables does not let one negate. */
    void noNegate(String option) {
        if (takeNegate()) {
            throw new IllegalArgumentException("'!' cannot negate " + option);
        }
    }

    /** Consumes {@code option} when it is the next word (a flag of a target). */
    boolean flag(String option) {
        if (pos < words.size() && words.get(pos).equals(option)) {
            pos++;
            return true;
        }
        return false;
    }

    /** Consumes the next word when it is a target option ({@code --...}), or gives {@code null}. */
    String nextOption() {
        if (pos < words.size() && words.get(pos).startsWith("--")) {
            return words.get(pos++);
        }
        return null;
    }

    /** A port number 0..65535. */
    static int port(String v, String option) {
        int p = number(v, option);
        if (p < 0 || p > 0xffff) {
            throw new IllegalArgumentException(option + " port '" + v + "' is not in 0..65535");
        }
        return p;
    }

    /** {@code strtoul(v, NULL, 0)}-style: {@code 0x} hex or decimal, as an unsigned 32-bit value. */
    static int number(String v, String option) {
        try {
            long n = v.startsWith("0x") || v.startsWith("0X") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
            if (n < 0 || n > 0xffffffffL) {
                throw new NumberFormatException();
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " value '" + v + "' is not a 32-bit number");
        }
    }

    /** A number in {@code min..max}. */
    static int number(String v, String option, long min, long max) {
        int n = number(v, option);
        if (Integer.toUnsignedLong(n) < min || Integer.toUnsignedLong(n) > max) {
            throw new IllegalArgumentException(option + " value '" + v + "' is not in " + min + ".." + max);
        }
        return n;
    }

    /** {@code value[/mask]} as {@code libxt_mark} reads it; {@code defaultMask} when no mask is given. */
    static int[] valueMask(String v, int defaultMask, String option) {
        int slash = v.indexOf('/');
        if (slash < 0) {
            return new int[] {number(v, option), defaultMask};
        }
        return new int[] {number(v.substring(0, slash), option), number(v.substring(slash + 1), option)};
    }

    /** A port or range {@code a[:b]} ({@code a:} means up to 65535, {@code :b} from 0), as {@code libxt_tcp}. */
    static int[] portRange(String v, String option) {
        int colon = v.indexOf(':');
        if (colon < 0) {
            int p = port(v, option);
            return new int[] {p, p};
        }
        int min = colon == 0 ? 0 : port(v.substring(0, colon), option);
        int max = colon == v.length() - 1 ? 0xffff : port(v.substring(colon + 1), option);
        if (max < min) {
            throw new IllegalArgumentException(option + " range '" + v + "' is reversed");
        }
        return new int[] {min, max};
    }

    /**
     * {@code address[/prefix]} or {@code address/dotted-mask} as {@code xtables_ipparse_any()}
     * reads it: host bits are cleared (iptables-save then prints the network).
     */
    static io.kpsim.packet.Cidr cidr(String text, String option) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        int prefix = 32;
        if (slash >= 0) {
            String m = text.substring(slash + 1);
            if (m.indexOf('.') >= 0) {
                int mask = TargetParser.address(m, option);
                prefix = Integer.bitCount(mask);
                if (mask != io.kpsim.packet.Ip4.mask(prefix)) {
                    throw new IllegalArgumentException(option + " mask '" + m + "' is not contiguous");
                }
            } else {
                prefix = number(m, option, 0, 32);
            }
        }
        int ip = TargetParser.address(addr, option);
        return new io.kpsim.packet.Cidr(ip & io.kpsim.packet.Ip4.mask(prefix), prefix);
    }
}
