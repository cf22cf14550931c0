package io.kpsim.netfilter.nftables;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads values, keys, set elements and verdicts of a known type: {@code 10.0.0.0/8},
 * {@code 1024-65535}, {@code 172.30.0.41 . tcp . 80}, {@code { 0 : goto a, 1 : goto b }},
 * {@code 1.2.3.5 . tcp . 80 comment "ns/svc:port" : goto reject-chain}. A prefix keeps only its
 * network bits ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}), as nft masks it.
 */
final class ValueParser {

    /**
     * A key's bounds.
     *
     * @param low the key or the fields' lower bounds
     * @param high the fields' upper bounds
     * @param prefix the prefix length of a single-field prefix, else -1
     * @param written how the single field was written
     */
    record Bounds(Datum low, Datum high, int prefix, Form written) {
        /** Whether any field is a range or prefix. */
        boolean isRange() {
            return !low.equals(high);
        }
    }

    /** How a single field was written. */
    enum Form {
        /** A value. */
        VALUE,
        /** {@code address/length}. */
        PREFIX,
        /** {@code low-high}. */
        RANGE
    }

    private final Cursor in;

    ValueParser(Cursor in) {
        this.in = in;
    }

    /** One value of {@code type} from {@code token}. */
    Datum value(DataType type, Token token) {
        if (type == DataType.IFNAME
                ? token.kind() != Token.Kind.STRING && token.kind() != Token.Kind.WORD
                : token.kind() != Token.Kind.WORD) {
            throw in.error(token, "expected " + describe(type) + ", found " + token.describe());
        }
        if (type == DataType.IFNAME && token.text().endsWith("*")) {
            throw in.error(
                    token,
                    "interface-name wildcards are supported in a single match only, not in sets: " + token.describe());
        }
        try {
            return type.parse(token.text());
        } catch (IllegalArgumentException e) {
            throw in.error(token, e.getMessage());
        }
    }

    /** One field: a value, a prefix (addresses) or a range. */
    Bounds bounds(DataType type, Token token) {
        if (token.kind() == Token.Kind.WORD) {
            String text = token.text();
            int slash = text.indexOf('/');
            if (slash > 0 && type.isAddress()) {
                return prefix(type, token, text.substring(0, slash), text.substring(slash + 1));
            }
            if (text.indexOf('-') > 0 && !parses(type, text)) {
                int dash = splitRange(type, text);
                if (dash < 0) {
                    throw in.error(token, "'" + text + "' is not " + describe(type) + " or a range of them");
                }
                Datum low = sub(type, token, text.substring(0, dash));
                Datum high = sub(type, token, text.substring(dash + 1));
                if (Keys.numericCompare(type, low, high) > 0) {
                    throw in.error(token, "range '" + text + "' has its bounds reversed");
                }
                return new Bounds(low, high, -1, Form.RANGE);
            }
        }
        Datum v = value(type, token);
        return new Bounds(v, v, -1, Form.VALUE);
    }

    private Bounds prefix(DataType type, Token token, String address, String length) {
        Datum a = sub(type, token, address);
        int bits = type.length() * 8;
        int n;
        try {
            n = Integer.parseInt(length);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0 || n > bits) {
            throw in.error(token, "prefix length '" + length + "' is not in 0.." + bits);
        }
        byte[] low = a.toByteArray();
        byte[] high = a.toByteArray();
        for (int i = 0; i < bits; i++) {
            if (i >= n) {
                int bit = 0x80 >>> (i % 8);
                low[i / 8] &= (byte) ~bit;
                high[i / 8] |= (byte) bit;
            }
        }
        return new Bounds(Datum.wrap(low), Datum.wrap(high), n, Form.PREFIX);
    }

    private Datum sub(DataType type, Token token, String text) {
        try {
            return type.parse(text);
        } catch (IllegalArgumentException e) {
            throw in.error(token, e.getMessage());
        }
    }

    private static boolean parses(DataType type, String text) {
        try {
            type.parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The index of the {@code -} that splits {@code text} into two values of {@code type}, or -1. */
    private static int splitRange(DataType type, String text) {
        for (int i = text.indexOf('-'); i > 0; i = text.indexOf('-', i + 1)) {
            if (parses(type, text.substring(0, i)) && parses(type, text.substring(i + 1))) {
                return i;
            }
        }
        return -1;
    }

    /** A key of {@code type}: one field, or fields joined by {@code .}; ranges only when {@code ranges}. */
    Bounds key(KeyType type, boolean ranges) {
        List<DataType> fields = type.fields();
        if (fields.size() == 1) {
            Token t = in.next();
            Bounds b = bounds(fields.get(0), t);
            if (b.isRange() && !ranges) {
                throw in.error(t, "a range or prefix is not allowed here");
            }
            return b;
        }
        byte[] low = new byte[type.length()];
        byte[] high = new byte[type.length()];
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                in.expect(Token.Kind.DOT, "' . ' and the next field of " + type);
            }
            Token t = in.next();
            Bounds b = bounds(fields.get(i), t);
            if (b.isRange() && !ranges) {
                throw in.error(t, "a range or prefix is not allowed here");
            }
            b.low().copyTo(low, type.offset(i));
            b.high().copyTo(high, type.offset(i));
        }
        return new Bounds(Datum.wrap(low), Datum.wrap(high), -1, Form.VALUE);
    }

    /** One element: key, options ({@code timeout}, {@code expires}, {@code comment}), and a map's data. */
    SetElement element(KeyType key, KeyType data, List<Form> forms) {
        Bounds b = key(key, true);
        if (forms != null) {
            forms.add(b.written());
        }
        long timeout = -1;
        long expires = -1;
        String comment = null;
        while (true) {
            if (in.accept("timeout")) {
                timeout = duration();
            } else if (in.accept("expires")) {
                expires = duration();
            } else if (in.accept("comment")) {
                comment = in.expect(Token.Kind.STRING, "a quoted comment").text();
            } else {
                break;
            }
        }
        Datum value = null;
        Verdict verdict = null;
        if (data != null) {
            in.expect(Token.Kind.COLON, "' : ' and the element's " + (isVerdict(data) ? "verdict" : "value"));
            if (isVerdict(data)) {
                verdict = verdict();
            } else {
                Bounds d = key(data, false);
                value = d.low();
            }
        } else if (in.at(Token.Kind.COLON)) {
            throw in.error(in.peek(), "a set's element has no ' : ' value (only maps have)");
        }
        return new SetElement(b.low(), b.high(), value, verdict, comment, timeout, expires);
    }

    /**
     * {@code { element, ... }} (newlines allowed anywhere inside).
     *
     * @param forms receives how each element's single-field key was written, or {@code null}
     */
    List<SetElement> elements(KeyType key, KeyType data, List<Form> forms) {
        in.expect(Token.Kind.LBRACE, "'{'");
        List<SetElement> out = new ArrayList<>();
        in.skipNewlines();
        if (in.accept(Token.Kind.RBRACE)) {
            return out;
        }
        while (true) {
            in.skipNewlines();
            out.add(element(key, data, forms));
            in.skipNewlines();
            if (in.accept(Token.Kind.COMMA)) {
                in.skipNewlines();
                if (in.accept(Token.Kind.RBRACE)) {
                    return out;
                }
                continue;
            }
            in.expect(Token.Kind.RBRACE, "',' or '}'");
            return out;
        }
    }

    /** A verdict: {@code accept}, {@code drop}, {@code continue}, {@code return}, {@code jump C}, {@code goto C}. */
    Verdict verdict() {
        Token t = in.next();
        if (t.kind() == Token.Kind.WORD) {
            switch (t.text()) {
                case "accept" -> {
                    return Verdict.ACCEPT;
                }
                case "drop" -> {
                    return Verdict.DROP;
                }
                case "continue" -> {
                    return Verdict.CONTINUE;
                }
                case "return" -> {
                    return Verdict.RETURN;
                }
                case "jump", "goto" -> {
                    String chain = chainName();
                    return t.text().equals("jump") ? Verdict.jump(chain) : Verdict.goTo(chain);
                }
                default -> {
                    // fall through to the error
                }
            }
        }
        throw in.error(
                t,
                "expected a verdict (accept, drop, continue, return, jump CHAIN, goto CHAIN), found " + t.describe());
    }

    /** A chain name (a word or a quoted string). */
    String chainName() {
        Token t = in.next();
        if (t.kind() != Token.Kind.WORD && t.kind() != Token.Kind.STRING) {
            throw in.error(t, "expected a chain name, found " + t.describe());
        }
        return t.text();
    }

    /** A duration ({@code 10800s}, {@code 3h}). */
    long duration() {
        Token t = in.word("a duration");
        try {
            return NftDuration.parse(t.text());
        } catch (IllegalArgumentException e) {
            throw in.error(t, e.getMessage());
        }
    }

    static boolean isVerdict(KeyType data) {
        return data.fields().size() == 1 && data.single() == DataType.VERDICT;
    }

    private static String describe(DataType type) {
        return switch (type) {
            case IPV4_ADDR -> "an IPv4 address";
            case IPV6_ADDR -> "an IPv6 address";
            case INET_PROTO -> "a protocol";
            case INET_SERVICE -> "a port";
            case MARK -> "a mark";
            case IFNAME -> "an interface name";
            case CT_STATE -> "a ct state";
            case CT_STATUS -> "a ct status";
            case FIB_ADDRTYPE -> "a route type";
            case NFPROTO -> "a protocol family";
            case INTEGER -> "a number";
            case VERDICT -> "a verdict";
        };
    }

    /** Whether {@code s} is a decimal integer, optionally negative. */
    static boolean isInteger(String s) {
        int start = s.startsWith("-") ? 1 : 0;
        if (s.length() == start || s.length() > 10) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
