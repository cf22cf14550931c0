package io.kpsim.netfilter.nftables;

import io.kpsim.packet.Ip4;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The nftables data types kpsim reads ({@code struct datatype} in nftables'
 * {@code src/datatype.c}, {@code src/proto.c}, {@code src/ct.c}, {@code src/meta.c},
 * {@code src/fib.c}): how a value of the type is written, how many bytes the kernel keeps for it
 * and in which byte order, and how many elements {@code nft list} prints per line of a named
 * set ({@code calculate_delim()} in {@code src/expression.c}: two for addresses and ct states,
 * five for numbers, one for everything else).
 */
public enum DataType {
    /** {@code ipv4_addr}: {@code ip saddr}, {@code ip daddr}. */
    IPV4_ADDR("ipv4_addr", 4, false, 2),
    /** {@code ipv6_addr}: {@code ip6 saddr}, {@code ip6 daddr}. */
    IPV6_ADDR("ipv6_addr", 16, false, 1),
    /** {@code inet_proto}: {@code meta l4proto}, {@code ip protocol}, {@code ip6 nexthdr}. */
    INET_PROTO("inet_proto", 1, false, 5),
    /** {@code inet_service}: ports. */
    INET_SERVICE("inet_service", 2, false, 5),
    /** {@code mark}: {@code meta mark}, {@code ct mark} (host order). */
    MARK("mark", 4, true, 5),
    /** {@code ifname}: {@code iifname}, {@code oifname} ({@code IFNAMSIZ} bytes). */
    IFNAME("ifname", 16, true, 1),
    /** {@code ct_state}: a bit per state ({@code NF_CT_STATE_BIT}). */
    CT_STATE("ct_state", 4, true, 2),
    /** {@code ct_status}: the {@code IPS_*} bits. */
    CT_STATUS("ct_status", 4, true, 2),
    /** {@code fib_addrtype}: an {@code RTN_*} route type. */
    FIB_ADDRTYPE("fib_addrtype", 4, true, 1),
    /** {@code nf_proto}: {@code meta nfproto}. */
    NFPROTO("nf_proto", 1, true, 5),
    /** {@code integer}: a 32-bit number, e.g. the result of {@code numgen}. */
    INTEGER("integer", 4, true, 5),
    /** {@code verdict}: the data of a verdict map. */
    VERDICT("verdict", 0, true, 1);

    private static final String[] CT_STATES = {"invalid", "established", "related", "new", null, null, "untracked"};
    private static final String[] CT_STATUSES = {
        "expected", "seen-reply", "assured", "confirmed", "snat", "dnat", null, null, null, "dying"
    };
    private static final String[] ADDR_TYPES = {
        "unspec", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole", "unreachable", "prohibit"
    };

    private final String keyword;
    private final int length;
    private final boolean hostOrder;
    private final int perLine;

    DataType(String keyword, int length, boolean hostOrder, int perLine) {
        this.keyword = keyword;
        this.length = length;
        this.hostOrder = hostOrder;
        this.perLine = perLine;
    }

    /** The name in {@code type ...} of a set declaration. */
    public String keyword() {
        return keyword;
    }

    /** Bytes of a value. */
    public int length() {
        return length;
    }

    /** Whether the kernel keeps the value in host byte order (else network order). */
    public boolean hostOrder() {
        return hostOrder;
    }

    /** Elements per line when a named set of this type is listed. */
    int perLine() {
        return perLine;
    }

    /** Whether values are bit sets written as {@code a,b} ({@code ct state}, {@code ct status}). */
    public boolean isFlags() {
        return this == CT_STATE || this == CT_STATUS;
    }

    /** Whether values can be written as {@code address/prefix}. */
    public boolean isAddress() {
        return this == IPV4_ADDR || this == IPV6_ADDR;
    }

    /** The type named {@code keyword} in a set declaration, or {@code null}. */
    static DataType byKeyword(String keyword) {
        for (DataType t : values()) {
            if (t.keyword.equals(keyword)) {
                return t;
            }
        }
        return null;
    }

    /**
     * Parses one value written as {@code nft} accepts it (a quoted name's text is passed without quotes).
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public Datum parse(String text) {
        switch (this) {
            case IPV4_ADDR -> {
                return Datum.bigEndian(Ip4.parse(text) & 0xffffffffL, 4);
            }
            case IPV6_ADDR -> {
                return Datum.wrap(Ip6Text.parse(text));
            }
            case INET_PROTO -> {
                int n = Protocols.number(text);
                if (n < 0) {
                    n = (int) number(text, 255, "a protocol name or number");
                }
                return Datum.bigEndian(n, 1);
            }
            case INET_SERVICE -> {
                return Datum.bigEndian(number(text, 0xffff, "a port number (0..65535)"), 2);
            }
            case MARK, INTEGER -> {
                return Datum.hostOrder(number(text, 0xffffffffL, "a 32-bit number"), 4);
            }
            case IFNAME -> {
                byte[] name = text.getBytes(StandardCharsets.UTF_8);
                if (name.length >= length) {
                    throw new IllegalArgumentException("interface name '" + text + "' is longer than 15 bytes");
                }
                byte[] b = new byte[length];
                System.arraycopy(name, 0, b, 0, name.length);
                return Datum.wrap(b);
            }
            case CT_STATE -> {
                return Datum.hostOrder(bit(CT_STATES, text, "a ct state"), 4);
            }
            case CT_STATUS -> {
                return Datum.hostOrder(bit(CT_STATUSES, text, "a ct status"), 4);
            }
            case FIB_ADDRTYPE -> {
                for (int i = 0; i < ADDR_TYPES.length; i++) {
                    if (ADDR_TYPES[i].equals(text)) {
                        return Datum.hostOrder(i, 4);
                    }
                }
                throw new IllegalArgumentException(
                        "'" + text + "' is not a route type (expected " + String.join(", ", ADDR_TYPES) + ")");
            }
            case NFPROTO -> {
                if (text.equals("ipv4")) {
                    return Datum.hostOrder(2, 1);
                }
                if (text.equals("ipv6")) {
                    return Datum.hostOrder(10, 1);
                }
                throw new IllegalArgumentException("'" + text + "' is not a protocol family (expected ipv4 or ipv6)");
            }
            case VERDICT -> throw new IllegalArgumentException("a verdict is not a value");
        }
        throw new IllegalStateException("unreachable: " + this);
    }

    /** The text {@code nft list} prints for {@code value}. */
    public String format(Datum value) {
        switch (this) {
            case IPV4_ADDR -> {
                return Ip4.format((int) value.bigEndianValue());
            }
            case IPV6_ADDR -> {
                return Ip6Text.format(value.toByteArray());
            }
            case INET_PROTO -> {
                return Protocols.name((int) value.bigEndianValue());
            }
            case INET_SERVICE -> {
                return Long.toString(value.bigEndianValue());
            }
            case MARK -> {
                return String.format(Locale.ROOT, "0x%08x", value.hostOrderValue());
            }
            case INTEGER -> {
                return Long.toString(value.hostOrderValue());
            }
            case IFNAME -> {
                byte[] b = value.toByteArray();
                int n = 0;
                while (n < b.length && b[n] != 0) {
                    n++;
                }
                return "\"" + new String(b, 0, n, StandardCharsets.UTF_8) + "\"";
            }
            case CT_STATE -> {
                return flags(CT_STATES, value.hostOrderValue());
            }
            case CT_STATUS -> {
                return flags(CT_STATUSES, value.hostOrderValue());
            }
            case FIB_ADDRTYPE -> {
                long v = value.hostOrderValue();
                return v < ADDR_TYPES.length ? ADDR_TYPES[(int) v] : Long.toString(v);
            }
            case NFPROTO -> {
                long v = value.hostOrderValue();
                return v == 2 ? "ipv4" : v == 10 ? "ipv6" : Long.toString(v);
            }
            case VERDICT -> throw new IllegalStateException("a verdict is not a value");
        }
        throw new IllegalStateException("unreachable: " + this);
    }

    private static long number(String text, long max, String expected) {
        long v;
        try {
            v = text.startsWith("0x") || text.startsWith("0X")
                    ? Long.parseLong(text.substring(2), 16)
                    : Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not " + expected);
        }
        if (v < 0 || v > max) {
            throw new IllegalArgumentException("'" + text + "' is not " + expected);
        }
        return v;
    }

    private static long bit(String[] names, String text, String what) {
        for (int i = 0; i < names.length; i++) {
            if (text.equals(names[i])) {
                return 1L << i;
            }
        }
        StringBuilder known = new StringBuilder();
        for (String n : names) {
            if (n != null) {
                known.append(known.length() == 0 ? "" : ", ").append(n);
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not " + what + " (expected " + known + ")");
    }

    /** The names of the set bits, lowest first, comma-separated (a single bit: its name). */
    private static String flags(String[] names, long value) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            if ((value & (1L << i)) != 0) {
                if (s.length() > 0) {
                    s.append(',');
                }
                s.append(i < names.length && names[i] != null ? names[i] : "0x" + Long.toHexString(1L << i));
            }
        }
        return s.length() == 0 ? "0x0" : s.toString();
    }
}
