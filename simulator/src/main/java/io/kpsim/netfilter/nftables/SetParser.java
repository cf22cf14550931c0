package io.kpsim.netfilter.nftables;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the body of a named set or map for {@link NftParser} ({@code type}, {@code typeof}-free
 * key and data types with concatenations, {@code flags}, {@code timeout}, {@code gc-interval},
 * {@code size}, {@code policy}, {@code auto-merge}, {@code comment}, {@code elements}) and keeps
 * the elements as the kernel does: ranges only in interval sets, overlaps refused, merged when
 * {@code auto-merge} asks.
 */
final class SetParser {

    private final Cursor in;
    private final Map<Object, Token> positions;

    SetParser(Cursor in, Map<Object, Token> positions) {
        this.in = in;
        this.positions = positions;
    }

    /** The body of a set or map after its name, from {@code {} to {@code }}. */
    NftSet setBody(String name, boolean map, Token at) {
        in.expect(Token.Kind.LBRACE, "'{'");
        KeyType key = null;
        KeyType data = null;
        int flags = 0;
        long timeout = -1;
        long gc = -1;
        long size = 0;
        boolean memory = false;
        boolean autoMerge = false;
        String comment = null;
        List<SetElement> elements = new ArrayList<>();
        Token elementsAt = null;
        ValueParser values = new ValueParser(in);
        while (true) {
            in.skipSeparators();
            Token t = in.next();
            if (t.kind() == Token.Kind.RBRACE) {
                break;
            }
            switch (t.kind() == Token.Kind.WORD ? t.text() : "") {
                case "type" -> {
                    key = typeList(false);
                    if (in.accept(Token.Kind.COLON)) {
                        if (!map) {
                            throw in.error(in.peek(), "set " + name + " is a set; only a map has ' : DATA'");
                        }
                        data = typeList(true);
                    }
                }
                case "typeof" -> throw in.error(t, "unsupported set declaration 'typeof' (kpsim reads 'type')");
                case "flags" -> {
                    do {
                        Token f = in.word("a set flag");
                        flags |= switch (f.text()) {
                            case "constant" -> NftSet.CONSTANT;
                            case "dynamic" -> NftSet.DYNAMIC;
                            case "interval" -> NftSet.INTERVAL;
                            case "timeout" -> NftSet.TIMEOUT;
                            default ->
                                throw in.error(
                                        f,
                                        "unsupported set flag " + f.describe()
                                                + " (kpsim reads constant, dynamic, interval, timeout)");
                        };
                    } while (in.accept(Token.Kind.COMMA));
                }
                case "timeout" -> {
                    timeout = values.duration();
                    flags |= NftSet.TIMEOUT;
                }
                case "gc-interval" -> gc = values.duration();
                case "size" -> {
                    Token n = in.word("a size");
                    if (!ValueParser.isInteger(n.text()) || n.text().startsWith("-")) {
                        throw in.error(n, "expected a size, found " + n.describe());
                    }
                    size = Long.parseLong(n.text());
                }
                case "policy" -> {
                    Token p = in.word("performance or memory");
                    if (!p.is("memory") && !p.is("performance")) {
                        throw in.error(p, "expected set policy performance or memory, found " + p.describe());
                    }
                    memory = p.is("memory");
                }
                case "auto-merge" -> autoMerge = true;
                case "comment" ->
                    comment = in.expect(Token.Kind.STRING, "a quoted comment").text();
                case "elements" -> {
                    if (key == null) {
                        throw in.error(t, "set " + name + " has elements before its type");
                    }
                    in.expect(Token.Kind.ASSIGN, "'='");
                    elementsAt = in.peek();
                    elements.addAll(values.elements(key, data, null));
                }
                default ->
                    throw in.error(
                            t,
                            (t.kind() == Token.Kind.EOF
                                    ? "set " + name + " is not closed by '}'"
                                    : "unsupported set option " + t.describe()
                                            + " (kpsim reads type, flags, timeout, gc-interval, size, policy, auto-merge,"
                                            + " comment, elements)"));
            }
        }
        if (key == null) {
            throw in.error(at, (map ? "map " : "set ") + name + " has no type");
        }
        if (map && data == null) {
            throw in.error(at, "map " + name + " has no data type ('type KEY : DATA')");
        }
        NftSet set = new NftSet(name, key, data, flags, timeout, gc, size, memory, autoMerge, comment, List.of());
        set = set.withElements(checkedElements(set, elements, elementsAt == null ? at : elementsAt));
        positions.put(set, at);
        return set;
    }

    /** {@code type a . b} or, for map data, also {@code verdict}. */
    private KeyType typeList(boolean data) {
        List<DataType> fields = new ArrayList<>();
        do {
            Token t = in.word("a data type");
            DataType dt = DataType.byKeyword(t.text());
            if (dt == null || (dt == DataType.VERDICT && (!data || !fields.isEmpty()))) {
                throw in.error(
                        t,
                        "unsupported data type " + t.describe()
                                + " (kpsim reads ipv4_addr, ipv6_addr, inet_proto, inet_service, mark, ifname, ct_state,"
                                + " ct_status" + (data ? ", verdict" : "") + ")");
            }
            fields.add(dt);
        } while (in.accept(Token.Kind.DOT));
        if (fields.contains(DataType.VERDICT) && fields.size() > 1) {
            throw in.error(in.peek(), "a verdict cannot be concatenated");
        }
        return new KeyType(fields);
    }

    /** The elements of {@code set} as the kernel keeps them: ranges only in interval sets, merged when asked. */
    List<SetElement> checkedElements(NftSet set, List<SetElement> elements, Token at) {
        boolean ranges = false;
        for (SetElement e : elements) {
            ranges |= !e.isPoint();
        }
        if (ranges && !set.isInterval()) {
            throw in.error(at, "set " + set.name() + " has a range or prefix but no 'flags interval'");
        }
        if (!set.isInterval() || set.key().isConcat()) {
            Set<Datum> seen = new HashSet<>();
            for (SetElement e : elements) {
                if (!set.key().isConcat() || !set.isInterval()) {
                    if (!seen.add(e.low())) {
                        throw in.error(
                                at,
                                "set " + set.name() + " has element '"
                                        + ElementPrinter.formatKey(set.key(), e.low(), e.high()) + "' twice");
                    }
                }
            }
            return elements;
        }
        DataType type = set.key().single();
        if (set.autoMerge() && !set.isMap()) {
            return Intervals.merge(elements, type);
        }
        SetElement[] overlap = Intervals.firstOverlap(elements, type);
        if (overlap != null) {
            throw in.error(
                    at,
                    "set " + set.name() + ": conflicting intervals specified ('"
                            + ElementPrinter.formatKey(set.key(), overlap[0].low(), overlap[0].high()) + "' and '"
                            + ElementPrinter.formatKey(set.key(), overlap[1].low(), overlap[1].high()) + "')");
        }
        return elements;
    }

    // ------------------------------------------------------------------ commands (nft -f)
}
