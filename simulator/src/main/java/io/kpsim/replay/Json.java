package io.kpsim.replay;

/**
 * Minimal JSON text helpers (RFC 8259 string escaping) for the line-oriented outputs. Appending
 * into the caller's builder lets {@code kpsim replay --format jsonl} build each line in one
 * reused buffer.
 */
public final class Json {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {
    }

    /** A JSON string literal, or {@code null} for a null value. */
    public static String string(String value) {
        return append(new StringBuilder(value == null ? 4 : value.length() + 2), value).toString();
    }

    /** Appends {@code value} as a JSON string literal ({@code null} for a null value) and returns {@code s}. */
    public static StringBuilder append(StringBuilder s, String value) {
        if (value == null) {
            return s.append("null");
        }
        s.append('"');
        int plain = 0; // start of the run of characters that need no escape
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            s.append(value, plain, i);
            plain = i + 1;
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> s.append("\\u00").append(HEX[c >>> 4]).append(HEX[c & 0xf]);
            }
        }
        if (plain == 0) {
            return s.append(value).append('"'); // nothing escaped: one bulk copy, not a char-by-char append
        }
        return s.append(value, plain, value.length()).append('"');
    }

    /** Appends an enum constant's name as a JSON string (Java identifiers need no escaping), or {@code null}. */
    public static StringBuilder append(StringBuilder s, Enum<?> value) {
        return value == null ? s.append("null") : s.append('"').append(value.name()).append('"');
    }
}
