package io.kpsim.packet;

import java.nio.charset.StandardCharsets;

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
        byte[] text = new byte[15];
        return new String(text, 0, quad(text, address), StandardCharsets.ISO_8859_1);
    }

    /**
     * Formats {@code address:port} as tcpdump and conntrack print endpoints.
     *
     * <p>Written straight into one byte array: {@code kpsim replay} formats two endpoints per packet,
     * and string concatenation made that a tenth of its tracking thread's time (a JFR profile of a
     * one-million-packet replay, src/docs/benchmarks.md section 3).
     */
    public static String format(int address, int port) {
        byte[] text = new byte[27]; // 15 for the quad, 1 for the colon, 11 for any int
        int n = quad(text, address);
        text[n++] = ':';
        n = decimal(text, n, port);
        return new String(text, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** Writes the dotted quad at the start of {@code text}; returns its length. */
    private static int quad(byte[] text, int address) {
        int n = decimal(text, 0, (address >>> 24) & 0xff);
        text[n++] = '.';
        n = decimal(text, n, (address >>> 16) & 0xff);
        text[n++] = '.';
        n = decimal(text, n, (address >>> 8) & 0xff);
        text[n++] = '.';
        return decimal(text, n, address & 0xff);
    }

    /** Writes {@code value} in decimal at {@code at}, as {@code Integer.toString} would; returns the end. */
    private static int decimal(byte[] text, int at, int value) {
        if (value < 0 || value > 99_999) {
            byte[] digits = Integer.toString(value).getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(digits, 0, text, at, digits.length);
            return at + digits.length;
        }
        int digits = value >= 10_000 ? 5 : value >= 1000 ? 4 : value >= 100 ? 3 : value >= 10 ? 2 : 1;
        int end = at + digits;
        for (int i = end - 1; i >= at; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return end;
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
