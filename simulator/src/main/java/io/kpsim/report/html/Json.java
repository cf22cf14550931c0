package io.kpsim.report.html;

/**
 * A small JSON writer for the data block the page's script reads, and for the outcome members of
 * {@code kpsim run --format json}. For the page, strings are escaped so the block can sit inside a
 * {@code <script>} element of an XHTML page: {@code <}, {@code >} and {@code &} are written as
 * {@code \u003c}, {@code \u003e} and {@code \u0026}; plain JSON leaves them as they are.
 */
final class Json {

    private final StringBuilder s;
    private final boolean forScript;
    private boolean first = true;

    /** A writer for the page's script block. */
    Json(StringBuilder s) {
        this(s, true);
    }

    /** A writer for a script block ({@code forScript}) or for plain JSON. */
    Json(StringBuilder s, boolean forScript) {
        this.s = s;
        this.forScript = forScript;
    }

    Json open() {
        s.append('{');
        first = true;
        return this;
    }

    Json close() {
        s.append('}');
        first = false;
        return this;
    }

    Json openArray(String name) {
        key(name).append('[');
        first = true;
        return this;
    }

    Json closeArray() {
        s.append(']');
        first = false;
        return this;
    }

    /** Starts an object inside an array. */
    Json element() {
        if (!first) {
            s.append(',');
        }
        s.append('{');
        first = true;
        return this;
    }

    Json object(String name) {
        key(name).append('{');
        first = true;
        return this;
    }

    Json put(String name, String value) {
        StringBuilder b = key(name);
        if (value == null) {
            b.append("null");
        } else {
            quote(b, value, forScript);
        }
        return this;
    }

    Json put(String name, long value) {
        key(name).append(value);
        return this;
    }

    /** {@code value}, or null when it equals {@code absent}. */
    Json put(String name, long value, long absent) {
        if (value == absent) {
            key(name).append("null");
        } else {
            key(name).append(value);
        }
        return this;
    }

    Json put(String name, boolean value) {
        key(name).append(value);
        return this;
    }

    /** A number already written as JSON text, e.g. {@code 0.014272}. */
    Json putNumber(String name, String number) {
        key(name).append(number);
        return this;
    }

    Json putNull(String name) {
        key(name).append("null");
        return this;
    }

    private StringBuilder key(String name) {
        if (!first) {
            s.append(',');
        }
        first = false;
        return quote(s, name, forScript).append(':');
    }

    static StringBuilder quote(StringBuilder b, String v) {
        return quote(b, v, true);
    }

    /** {@code v} as a JSON string literal (RFC 8259 §7), escaped for a script block when {@code forScript}. */
    static StringBuilder quote(StringBuilder b, String v, boolean forScript) {
        b.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '<':
                    b.append(forScript ? "\\u003c" : "<");
                    break;
                case '>':
                    b.append(forScript ? "\\u003e" : ">");
                    break;
                case '&':
                    b.append(forScript ? "\\u0026" : "&");
                    break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"');
    }
}
