package io.kpsim.replay;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable buffer of JSON text in UTF-8 bytes (RFC 8259): the one place kpsim escapes a JSON
 * string.
 *
 * <p>Why bytes: {@code kpsim replay --format jsonl} writes about 200 bytes per packet, a million
 * packets a second. Building lines in a {@code StringBuilder} and handing characters to a
 * {@code Writer} costs a UTF-16 copy and a charset encoding of every byte; appending the UTF-8
 * bytes directly, with the constant parts (keys, enum names, the file name of every line)
 * prepared once, leaves one copy into the file. Nothing here allocates unless the buffer grows.
 *
 * <p>Not thread-safe; reuse one per output after {@link #clear()}.
 */
public final class JsonText {

    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** Digits of the largest {@code int}. */
    private static final int MAX_INT_DIGITS = 10;
    /** 10^9: the nine low digits of a number above {@code Integer.MAX_VALUE} are written as an int. */
    private static final int BILLION = 1_000_000_000;
    /** Room {@link #address} needs at most: quotes, four octets, three dots, a colon and an {@code int} port. */
    private static final int ADDRESS_ROOM = 2 + 4 * 3 + 3 + 1 + MAX_INT_DIGITS;
    /** The two digits of each value below 100, at twice the value: a table lookup instead of two divisions. */
    private static final byte[] PAIRS = pairs();
    /** Each octet's digits and their count ({@link #octets()}). */
    private static final int[] OCTETS = octets();

    private byte[] bytes;
    private int length;

    /** An empty buffer with room for {@code capacity} bytes before it grows. */
    public JsonText(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    /** A JSON string literal for {@code value}, or {@code null} for a null value. */
    public static String literal(String value) {
        return new JsonText(value == null ? 4 : value.length() + 8)
                .string(value)
                .toString();
    }

    /** The bytes of {@code value} as a JSON string literal (or {@code null}), for constants. */
    public static byte[] literalBytes(String value) {
        JsonText t = new JsonText(value == null ? 4 : value.length() + 8).string(value);
        return Arrays.copyOf(t.bytes, t.length);
    }

    /** Appends bytes prepared earlier (a key, a literal from {@link #literalBytes}). */
    public JsonText raw(byte[] text) {
        ensure(text.length);
        System.arraycopy(text, 0, bytes, length, text.length);
        length += text.length;
        return this;
    }

    /** Appends one ASCII character. */
    public JsonText ascii(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** Appends {@code null}. */
    public JsonText nullValue() {
        return raw(NULL);
    }

    /** Appends a decimal integer. */
    public JsonText number(long value) {
        if (value >= 0 && value <= Integer.MAX_VALUE) {
            ensure(MAX_INT_DIGITS);
            length = digits(bytes, length, (int) value);
            return this;
        }
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                return raw(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
            }
            ascii('-');
            value = -value;
        }
        long high = value / BILLION;
        if (high <= Integer.MAX_VALUE) {
            // below 2^31 * 10^9 (the upper half of the 32-bit sequence numbers among them): the
            // leading digits, then the last nine zero-padded, each part by int divisions
            ensure(2 * MAX_INT_DIGITS);
            int low = (int) (value - high * BILLION);
            int at = length;
            if (high > 0) {
                at = digits(bytes, at, (int) high);
                for (int pad = BILLION / 10; pad > 1 && low < pad; pad /= 10) {
                    bytes[at++] = '0';
                }
            }
            length = digits(bytes, at, low);
            return this;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        ensure(digits);
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
        return this;
    }

    /**
     * Writes {@code value} (0 or more) in decimal into {@code b} at {@code at}, two digits per
     * division, and returns the index after it. The caller has made room for {@link #MAX_INT_DIGITS}.
     * Replay lines are mostly small numbers (address octets, ports, lengths, 32-bit sequence
     * numbers), which is why this path avoids {@code long} division and a second pass to count.
     */
    private static int digits(byte[] b, int at, int value) {
        int end = at + digitCount(value);
        int i = end;
        while (value >= 100) {
            int q = value / 100;
            int r = (value - q * 100) << 1;
            b[--i] = PAIRS[r + 1];
            b[--i] = PAIRS[r];
            value = q;
        }
        if (value >= 10) {
            int r = value << 1;
            b[--i] = PAIRS[r + 1];
            b[--i] = PAIRS[r];
        } else {
            b[--i] = (byte) ('0' + value);
        }
        return end;
    }

    /** Decimal digits of {@code value} (0 or more), by comparisons rather than a loop of multiplications. */
    private static int digitCount(int value) {
        if (value < 100_000) {
            if (value < 100) {
                return value < 10 ? 1 : 2;
            }
            return value < 1_000 ? 3 : value < 10_000 ? 4 : 5;
        }
        if (value < 10_000_000) {
            return value < 1_000_000 ? 6 : 7;
        }
        return value < 100_000_000 ? 8 : value < BILLION ? 9 : 10;
    }

    /**
     * Each octet's decimal digits, left-aligned in the low three bytes, their count in the top byte:
     * an address's four octets are a quarter of a replay line's digits.
     */
    private static int[] octets() {
        int[] octets = new int[256];
        for (int v = 0; v < 256; v++) {
            byte[] d = Integer.toString(v).getBytes(StandardCharsets.US_ASCII);
            int packed = d.length << 24;
            for (int i = 0; i < d.length; i++) {
                packed |= (d[i] & 0xff) << (16 - 8 * i);
            }
            octets[v] = packed;
        }
        return octets;
    }

    /** "00" to "99": the two digits of every value below 100, as {@code Integer.toString}'s tables keep them. */
    private static byte[] pairs() {
        byte[] pairs = new byte[200];
        for (int v = 0; v < 100; v++) {
            pairs[2 * v] = (byte) ('0' + v / 10);
            pairs[2 * v + 1] = (byte) ('0' + v % 10);
        }
        return pairs;
    }

    /**
     * Appends a capture time as a quoted decimal string of seconds with {@code digits} (0..9)
     * after the point, e.g. {@code "1700000000.123456"}.
     */
    public JsonText timestamp(long nanos, int digits) {
        long seconds = Math.floorDiv(nanos, 1_000_000_000L);
        long fraction = Math.floorMod(nanos, 1_000_000_000L);
        ascii('"').number(seconds);
        if (digits > 0) {
            ascii('.');
            ensure(digits);
            int scaled = (int) fraction; // under 10^9
            for (int i = digits; i < 9; i++) {
                scaled /= 10;
            }
            // zero-padded to its digits, two at a time: scaled is below 10^digits
            byte[] b = bytes;
            int i = length + digits;
            int n = digits;
            for (; n >= 2; n -= 2) {
                int q = scaled / 100;
                int r = (scaled - q * 100) << 1;
                b[--i] = PAIRS[r + 1];
                b[--i] = PAIRS[r];
                scaled = q;
            }
            if (n == 1) {
                b[--i] = (byte) ('0' + scaled);
            }
            length += digits;
        }
        return ascii('"');
    }

    /** Appends {@code "a.b.c.d:port"}, or {@code "a.b.c.d"} when {@code port} is negative. */
    public JsonText address(int ip, int port) {
        ensure(ADDRESS_ROOM);
        byte[] b = bytes;
        int at = length;
        b[at++] = '"';
        for (int shift = 24; shift >= 0; shift -= 8) {
            if (shift != 24) {
                b[at++] = '.';
            }
            // three bytes always (the room is reserved), of which the octet's digits are the first
            int o = OCTETS[(ip >>> shift) & 0xff];
            b[at] = (byte) (o >>> 16);
            b[at + 1] = (byte) (o >>> 8);
            b[at + 2] = (byte) o;
            at += o >>> 24;
        }
        if (port >= 0) {
            b[at++] = ':';
            at = digits(b, at, port);
        }
        b[at++] = '"';
        length = at;
        return this;
    }

    /**
     * Appends {@code value} as a JSON string literal, or {@code null}: quotes, backslashes and
     * control characters escaped, everything else in UTF-8 (an unpaired surrogate becomes
     * {@code ?}, as Java's encoders write it).
     */
    public JsonText string(String value) {
        if (value == null) {
            return nullValue();
        }
        int n = value.length();
        ensure(n + 2);
        byte[] b = bytes;
        int at = length;
        b[at++] = '"';
        int i = 0;
        for (; i < n; i++) { // the common case, printable ASCII: one byte per char, room reserved above
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                break;
            }
            b[at++] = (byte) c;
        }
        length = at;
        for (; i < n; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                ascii(c);
            } else if (c >= 0x80) {
                int end = i + 1;
                while (end < n && value.charAt(end) >= 0x80) {
                    end++;
                }
                raw(value.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            } else {
                escape(c);
            }
        }
        return ascii('"');
    }

    /** Appends an enum constant's name as a JSON string (identifiers need no escaping), or {@code null}. */
    public JsonText string(Enum<?> value) {
        return value == null ? nullValue() : string(value.name());
    }

    /** Bytes appended so far. */
    public int length() {
        return length;
    }

    /** The backing array; valid from 0 to {@link #length()}, until the next append. */
    public byte[] array() {
        return bytes;
    }

    /** Empties the buffer, keeping its capacity. */
    public void clear() {
        length = 0;
    }

    /** The text appended so far. */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private void escape(char c) {
        switch (c) {
            case '"' -> raw2('\\', '"');
            case '\\' -> raw2('\\', '\\');
            case '\n' -> raw2('\\', 'n');
            case '\r' -> raw2('\\', 'r');
            case '\t' -> raw2('\\', 't');
            default -> {
                raw2('\\', 'u');
                raw2('0', '0');
                raw2((char) HEX[c >>> 4], (char) HEX[c & 0xf]);
            }
        }
    }

    private void raw2(char a, char b) {
        ensure(2);
        bytes[length++] = (byte) a;
        bytes[length++] = (byte) b;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + more, bytes.length * 2));
        }
    }
}
