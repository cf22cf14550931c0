package io.kpsim.netfilter.nftables;

import io.kpsim.netfilter.RejectWith;
import io.kpsim.packet.Protocol;

/**
 * {@code reject [with icmp|icmpv6|icmpx CODE | with tcp reset]} ({@code nft_reject_ipv4_eval()},
 * {@code nft_reject_inet_eval()}): sends an ICMP destination-unreachable or a TCP reset back and
 * drops the packet.
 *
 * <p>nft adds the protocol checks a reject type needs as hidden conditions of the rule:
 * {@code with tcp reset} compiles to {@code meta l4proto tcp} followed by the reject (a UDP or
 * ICMP packet does not match the rule and goes on to the next one; {@code nft list} hides the
 * check in {@code ip} and {@code ip6} tables and shows it in {@code inet} ones); in an
 * {@code inet} table {@code with icmp} only applies to IPv4 and {@code with icmpv6} only to IPv6
 * packets. A bare {@code reject} is port-unreachable: ICMP in {@code ip}, ICMPv6 in
 * {@code ip6}, and in {@code inet} the family-independent {@code icmpx} (port-unreachable for
 * IPv4 too), unless the rule matched an {@code ip} or {@code ip6} field before, which makes nft
 * pick that family's type.
 *
 * @param type the reject type
 * @param code the ICMP, ICMPv6 or ICMPX code (0 for a reset)
 */
public record RejectStmt(Type type, int code) implements Statement {

    /** {@code NFT_REJECT_*}. */
    public enum Type {
        /** {@code NFT_REJECT_ICMP_UNREACH} for IPv4. */
        ICMP("icmp"),
        /** {@code NFT_REJECT_ICMP_UNREACH} for IPv6. */
        ICMPV6("icmpv6"),
        /** {@code NFT_REJECT_ICMPX_UNREACH}: mapped per family. */
        ICMPX("icmpx"),
        /** {@code NFT_REJECT_TCP_RST}. */
        TCP_RESET("tcp");

        private final String keyword;

        Type(String keyword) {
            this.keyword = keyword;
        }

        /** As written after {@code with}. */
        public String keyword() {
            return keyword;
        }
    }

    private static final String[] ICMP_CODES = {
        "net-unreachable",
        "host-unreachable",
        "prot-unreachable",
        "port-unreachable",
        null,
        null,
        null,
        null,
        null,
        "net-prohibited",
        "host-prohibited",
        null,
        null,
        "admin-prohibited"
    };
    private static final String[] ICMPV6_CODES = {
        "no-route", "admin-prohibited", null, "addr-unreachable", "port-unreachable", "policy-fail", "reject-route"
    };
    private static final String[] ICMPX_CODES = {"no-route", "port-unreachable", "host-unreachable", "admin-prohibited"
    };
    /** {@code nft_reject_icmp_code()}: icmpx code to the IPv4 ICMP code. */
    private static final int[] ICMPX_TO_ICMP = {
        RejectWith.NET_UNREACHABLE,
        RejectWith.PORT_UNREACHABLE,
        RejectWith.HOST_UNREACHABLE,
        RejectWith.ADMIN_PROHIBITED
    };

    /** ICMP port-unreachable, the IPv4 default. */
    public static final RejectStmt ICMP_PORT = new RejectStmt(Type.ICMP, RejectWith.PORT_UNREACHABLE);
    /** ICMPv6 port-unreachable, the IPv6 default. */
    public static final RejectStmt ICMPV6_PORT = new RejectStmt(Type.ICMPV6, 4);
    /** ICMPX port-unreachable, the {@code inet} default. */
    public static final RejectStmt ICMPX_PORT = new RejectStmt(Type.ICMPX, 1);
    /** A TCP reset. */
    public static final RejectStmt TCP_RESET = new RejectStmt(Type.TCP_RESET, 0);

    /** Validates the code. */
    public RejectStmt {
        if (type != Type.TCP_RESET) {
            String[] names = codes(type);
            if (code < 0 || code >= names.length || names[code] == null) {
                throw new IllegalArgumentException("no " + type.keyword() + " reject code " + code);
            }
        }
    }

    private static String[] codes(Type type) {
        return switch (type) {
            case ICMP -> ICMP_CODES;
            case ICMPV6 -> ICMPV6_CODES;
            case ICMPX, TCP_RESET -> ICMPX_CODES;
        };
    }

    /**
     * The code named {@code name} for {@code type} (a number is accepted for ICMP), or -1.
     */
    static int code(Type type, String name) {
        String[] names = codes(type);
        for (int i = 0; i < names.length; i++) {
            if (name.equals(names[i])) {
                return i;
            }
        }
        if (type == Type.ICMP && name.chars().allMatch(Character::isDigit) && name.length() < 4) {
            int n = Integer.parseInt(name);
            return n < names.length && names[n] != null ? n : -1;
        }
        return -1;
    }

    /** The code names of {@code type}, for messages. */
    static String codeNames(Type type) {
        StringBuilder s = new StringBuilder();
        for (String n : codes(type)) {
            if (n != null) {
                s.append(s.length() == 0 ? "" : ", ").append(n);
            }
        }
        return s.toString();
    }

    @Override
    public void print(StringBuilder out, NftFamily family) {
        out.append("reject");
        if (type == Type.TCP_RESET) {
            out.append(" with tcp reset");
            return;
        }
        boolean isDefault = switch (family) {
            case IP -> type == Type.ICMP && code == RejectWith.PORT_UNREACHABLE;
            case IP6 -> type == Type.ICMPV6 && code == 4;
            case INET -> type == Type.ICMPX && code == 1;
        };
        if (!isDefault) {
            out.append(" with ").append(type.keyword()).append(' ').append(codes(type)[code]);
        }
    }

    @Override
    public int execute(EvalContext ctx) {
        RejectWith how;
        switch (type) {
            case TCP_RESET -> {
                if (ctx.packet().protocol() != Protocol.TCP) {
                    return BREAK;
                }
                how = RejectWith.TCP_RESET;
            }
            case ICMP -> how = RejectWith.icmp(code);
            case ICMPX -> how = RejectWith.icmp(ICMPX_TO_ICMP[code]);
            case ICMPV6 -> {
                return BREAK;
            }
            default -> throw new IllegalStateException("unreachable: " + type);
        }
        ctx.reject(how);
        ctx.verdict(Verdict.DROP);
        return VERDICT;
    }
}
