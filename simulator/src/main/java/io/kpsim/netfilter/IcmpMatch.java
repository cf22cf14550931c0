package io.kpsim.netfilter;

import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Protocol;

/**
 * {@code -m icmp [!] --icmp-type TYPE[/CODE]|NAME|any} ({@code icmp_mt()} and
 * {@code icmp_type_code_match()} in {@code net/netfilter/xt_tcpudp.c}): the packet's ICMP type
 * equals {@code type} and its code lies in {@code minCode..maxCode}, or {@code type} is 0xFF
 * ({@code any}); {@code !} inverts. Only valid with {@code -p icmp}; {@code libipt_icmp} requires
 * {@code --icmp-type} and names the types as {@code icmp_codes[]} does.
 *
 * @param type the ICMP type, 0xFF for any
 * @param minCode lowest code
 * @param maxCode highest code
 * @param negated {@code ! --icmp-type}
 */
public record IcmpMatch(int type, int minCode, int maxCode, boolean negated) implements Match {

    /** {@code libipt_icmp}'s names: name, type, lowest code, highest code. */
    private static final Object[][] NAMES = {
        {"any", 0xFF, 0, 0xFF},
        {"echo-reply", 0, 0, 0xFF},
        {"pong", 0, 0, 0xFF},
        {"destination-unreachable", 3, 0, 0xFF},
        {"network-unreachable", 3, 0, 0},
        {"host-unreachable", 3, 1, 1},
        {"protocol-unreachable", 3, 2, 2},
        {"port-unreachable", 3, 3, 3},
        {"fragmentation-needed", 3, 4, 4},
        {"source-route-failed", 3, 5, 5},
        {"network-unknown", 3, 6, 6},
        {"host-unknown", 3, 7, 7},
        {"network-prohibited", 3, 9, 9},
        {"host-prohibited", 3, 10, 10},
        {"TOS-network-unreachable", 3, 11, 11},
        {"TOS-host-unreachable", 3, 12, 12},
        {"communication-prohibited", 3, 13, 13},
        {"host-precedence-violation", 3, 14, 14},
        {"precedence-cutoff", 3, 15, 15},
        {"source-quench", 4, 0, 0xFF},
        {"redirect", 5, 0, 0xFF},
        {"network-redirect", 5, 0, 0},
        {"host-redirect", 5, 1, 1},
        {"TOS-network-redirect", 5, 2, 2},
        {"TOS-host-redirect", 5, 3, 3},
        {"echo-request", 8, 0, 0xFF},
        {"ping", 8, 0, 0xFF},
        {"router-advertisement", 9, 0, 0xFF},
        {"router-solicitation", 10, 0, 0xFF},
        {"time-exceeded", 11, 0, 0xFF},
        {"ttl-exceeded", 11, 0, 0xFF},
        {"ttl-zero-during-transit", 11, 0, 0},
        {"ttl-zero-during-reassembly", 11, 1, 1},
        {"parameter-problem", 12, 0, 0xFF},
        {"ip-header-bad", 12, 0, 0},
        {"required-option-missing", 12, 1, 1},
        {"timestamp-request", 13, 0, 0xFF},
        {"timestamp-reply", 14, 0, 0xFF},
        {"address-mask-request", 17, 0, 0xFF},
        {"address-mask-reply", 18, 0, 0xFF},
    };

    /**
     * Reads {@code --icmp-type}'s value as {@code libipt_icmp} does: a name, {@code TYPE} (any
     * code) or {@code TYPE/CODE}.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static IcmpMatch parse(String text, boolean negated) {
        for (Object[] n : NAMES) {
            if (n[0].equals(text)) {
                return new IcmpMatch((int) n[1], (int) n[2], (int) n[3], negated);
            }
        }
        int slash = text.indexOf('/');
        int type = number(slash < 0 ? text : text.substring(0, slash), text);
        int code = slash < 0 ? -1 : number(text.substring(slash + 1), text);
        return code < 0 ? new IcmpMatch(type, 0, 0xFF, negated) : new IcmpMatch(type, code, code, negated);
    }

    private static int number(String digits, String text) {
        if (!digits.isEmpty() && digits.chars().allMatch(Character::isDigit) && digits.length() <= 3) {
            int v = Integer.parseInt(digits);
            if (v <= 0xFF) {
                return v;
            }
        }
        throw new IllegalArgumentException("--icmp-type: invalid ICMP type '" + text + "'");
    }

    @Override
    public boolean matches(Skb skb) {
        if (skb.packet().protocol() != Protocol.ICMP) {
            return false;
        }
        IcmpMessage m = skb.packet().icmp();
        boolean hit = type == 0xFF || (m.type() == type && m.code() >= minCode && m.code() <= maxCode);
        return hit != negated;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -m icmp").append(negated ? " ! --icmp-type " : " --icmp-type ");
        if (type == 0xFF) {
            out.append("any");
            return;
        }
        out.append(type);
        if (minCode != 0 || maxCode != 0xFF) {
            out.append('/').append(minCode);
        }
    }

    /** Reads {@code -m icmp [!] --icmp-type T[/C]}, which needs {@code -p icmp}. */
    static final class Options extends ModuleBuilder {
        private IcmpMatch match;

        @Override
        String name() {
            return "icmp";
        }

        @Override
        boolean accepts(String option) {
            return option.equals("--icmp-type");
        }

        @Override
        void option(String option, boolean negated, RuleWords words, RuleSoFar rule) {
            if (!rule.is(io.kpsim.packet.Protocol.ICMP)) {
                throw new IllegalArgumentException("--icmp-type needs -p icmp");
            }
            match = parse(words.value(option), negated);
        }

        @Override
        Match build(RuleSoFar rule) {
            if (match == null) {
                throw new IllegalArgumentException("icmp: option \"--icmp-type\" must be specified");
            }
            return match;
        }
    }
}
