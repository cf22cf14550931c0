package io.kpsim.netfilter.ipset;

import io.kpsim.packet.Ip4;
import java.util.Locale;

/**
 * The element syntax of {@code ipset add} and {@code ipset save}: addresses ({@code a.b.c.d},
 * ranges {@code a-b}, networks {@code a/n}), networks with a prefix, and {@code [proto:]port[-port]}
 * parts ({@code tcp} by default; ICMP by type name or {@code type/code}).
 */
final class Elements {

    private static final String ICMP_NAMES = "echo-reply 0 0;pong 0 0;network-unreachable 3 0;host-unreachable 3 1;"
            + "protocol-unreachable 3 2;port-unreachable 3 3;fragmentation-needed 3 4;source-route-failed 3 5;"
            + "network-unknown 3 6;host-unknown 3 7;host-isolated 3 8;network-prohibited 3 9;"
            + "host-prohibited 3 10;TOS-network-unreachable 3 11;TOS-host-unreachable 3 12;"
            + "communication-prohibited 3 13;host-precedence-violation 3 14;precedence-cutoff 3 15;"
            + "source-quench 4 0;network-redirect 5 0;host-redirect 5 1;TOS-network-redirect 5 2;"
            + "TOS-host-redirect 5 3;echo-request 8 0;ping 8 0;router-advertisement 9 0;router-solicitation 10 0;"
            + "ttl-zero-during-transit 11 0;ttl-zero-during-reassembly 11 1;ip-header-bad 12 0;"
            + "required-option-missing 12 1;timestamp-request 13 0;timestamp-reply 14 0;information-request 15 0;"
            + "information-reply 16 0;address-mask-request 17 0;address-mask-reply 18 0";

    private Elements() {}

    /**
     * The addresses of {@code a.b.c.d}, {@code a-b} or {@code a/n}, each under {@code netmask}, at most
     * {@code limit}.
     */
    static int[] addresses(String text, int netmask, int limit) {
        long lo;
        long hi;
        int dash = text.indexOf('-');
        int slash = text.indexOf('/');
        if (dash >= 0) {
            lo = ip(text.substring(0, dash)) & 0xffffffffL;
            hi = ip(text.substring(dash + 1)) & 0xffffffffL;
        } else if (slash >= 0) {
            int[] n = network(text);
            lo = n[0] & 0xffffffffL;
            hi = lo | (~Ip4.mask(n[1]) & 0xffffffffL);
        } else {
            lo = ip(text) & 0xffffffffL;
            hi = lo;
        }
        if (hi < lo) {
            throw new IllegalArgumentException("range '" + text + "' is reversed");
        }
        java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
        for (long v = lo; v <= hi; v++) {
            out.add((int) v & netmask);
            if (out.size() > limit) {
                throw new IllegalArgumentException("range '" + text + "' holds more than " + limit + " addresses");
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code a.b.c.d[/n]} as {@code {network, prefix}}; host bits are cleared, as ipset does. */
    static int[] network(String text) {
        int slash = text.indexOf('/');
        int cidr = 32;
        if (slash >= 0) {
            try {
                cidr = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has a bad prefix length");
            }
            if (cidr < 1 || cidr > 32) {
                throw new IllegalArgumentException("'" + text + "': prefix length must be 1..32");
            }
        }
        return new int[] {ip(slash < 0 ? text : text.substring(0, slash)) & Ip4.mask(cidr), cidr};
    }

    /** {@code [proto:]port[-port]} as {@code {protocol number, first port, last port}}. */
    static int[] protoPorts(String text) {
        int colon = text.indexOf(':');
        String proto = colon < 0 ? "tcp" : text.substring(0, colon).toLowerCase(Locale.ROOT);
        String port = colon < 0 ? text : text.substring(colon + 1);
        switch (proto) {
            case "tcp", "udp", "sctp", "udplite" -> {
                int number = switch (proto) {
                    case "tcp" -> 6;
                    case "udp" -> 17;
                    case "sctp" -> 132;
                    default -> 136;
                };
                int[] r = portRange(port);
                return new int[] {number, r[0], r[1]};
            }
            case "icmp" -> {
                int tc = icmp(port);
                return new int[] {1, tc, tc};
            }
            default -> {
                int number;
                if (proto.chars().allMatch(Character::isDigit) && !proto.isEmpty()) {
                    number = Integer.parseInt(proto.length() > 3 ? "999" : proto);
                } else {
                    number = switch (proto) {
                        case "gre" -> 47;
                        case "esp" -> 50;
                        case "ah" -> 51;
                        case "ospf" -> 89;
                        case "vrrp" -> 112;
                        default ->
                            throw new IllegalArgumentException("unknown protocol '" + proto + "' in '" + text + "'");
                    };
                }
                if (number < 1 || number > 255) {
                    throw new IllegalArgumentException("protocol number out of range in '" + text + "'");
                }
                return new int[] {number, 0, 0};
            }
        }
    }

    /** {@code p} or {@code p-q}. */
    static int[] portRange(String text) {
        int dash = text.indexOf('-');
        int lo = port(dash < 0 ? text : text.substring(0, dash));
        int hi = dash < 0 ? lo : port(text.substring(dash + 1));
        if (hi < lo) {
            throw new IllegalArgumentException("port range '" + text + "' is reversed");
        }
        return new int[] {lo, hi};
    }

    private static int port(String text) {
        if (text.isEmpty() || !text.chars().allMatch(Character::isDigit) || text.length() > 5) {
            throw new IllegalArgumentException("'" + text + "' is not a port number");
        }
        int p = Integer.parseInt(text);
        if (p > 65535) {
            throw new IllegalArgumentException("port " + p + " is out of range");
        }
        return p;
    }

    /** An ICMP type by ipset's name or {@code type/code}, as {@code type << 8 | code}. */
    private static int icmp(String text) {
        for (String entry : ICMP_NAMES.split(";")) {
            String[] f = entry.split(" ");
            if (f[0].equalsIgnoreCase(text)) {
                return (Integer.parseInt(f[1]) << 8) | Integer.parseInt(f[2]);
            }
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("unknown ICMP type '" + text + "' (a name or type/code)");
        }
        int type = port(text.substring(0, slash));
        int code = port(text.substring(slash + 1));
        if (type > 255 || code > 255) {
            throw new IllegalArgumentException("ICMP type/code '" + text + "' out of range");
        }
        return (type << 8) | code;
    }

    private static int ip(String text) {
        if (!Ip4.isValid(text)) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        return Ip4.parse(text);
    }
}
