package io.kpsim.packet;

/**
 * IPv4 addresses as packed {@code int}s (network byte order in the int's bits: {@code 10.0.0.1}
 * is {@code 0x0A000001}), with parsing and formatting.
 *
 * <p>Addresses stay primitive so the conntrack hot path can pack a tuple into two longs without
 * allocating; this class is the one place that turns them into text and back.
 */
public final class Ip4 {

    private Ip4() {}

    /**
     * Parses a dotted quad such as {@code 10.96.0.10}.
     *
     * @throws IllegalArgumentException naming the text when it is not a dotted-quad IPv4 address
     */
    public static int parse(String text) {
        int value = 0;
        int octets = 0;
        int current = -1;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c == '.') {
                if (current < 0 || octets == 4) {
                    throw bad(text);
                }
                value = (value << 8) | current;
                octets++;
                current = -1;
            } else if (c >= '0' && c <= '9') {
                if (current == 0) {
                    throw bad(text); // leading zeros are ambiguous (octal in inet_aton)
                }
                current = (current < 0 ? 0 : current * 10) + (c - '0');
                if (current > 255) {
                    throw bad(text);
                }
            } else {
                throw bad(text);
            }
        }
        if (octets != 4) {
            throw bad(text);
        }
        return value;
    }

    /** Whether {@code text} is a valid dotted-quad IPv4 address. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Formats a packed address as a dotted quad. */
    public static String format(int address) {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }

    /** Formats {@code address:port} as tcpdump and conntrack print endpoints. */
    public static String format(int address, int port) {
        return format(address) + ":" + port;
    }

    /** The network mask with {@code prefixLength} leading one bits. */
    public static int mask(int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is not in 0..32");
        }
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("'" + text + "' is not an IPv4 address (expected a.b.c.d)");
    }
}
