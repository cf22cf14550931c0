package io.kpsim.netfilter.nftables;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads one rule's statements ({@code ip daddr 10.0.0.1 tcp dport { 80, 443 } counter accept
 * comment "x"}) in the vocabulary kube-proxy's nftables mode and common CNIs use, and refuses
 * anything else with its position and name. The result is already in the form {@code nft list}
 * prints ({@link Dependencies}): {@code mark set mark or 0x4000} is read as
 * {@code meta mark set meta mark | 0x00004000}, {@code { 10.0.0.1 }} as {@code 10.0.0.1}.
 */
final class StatementParser {

    private final Cursor in;
    private final ValueParser values;
    private final NftFamily family;
    private final Map<Object, Token> positions;
    private final ExpressionParser expressions;
    private final NatStatementParser nats;

    StatementParser(Cursor in, NftFamily family, Map<Object, Token> positions) {
        this.in = in;
        this.values = new ValueParser(in);
        this.family = family;
        this.positions = positions;
        this.expressions = new ExpressionParser(in, values, family);
        this.nats = new NatStatementParser(in, values, family, expressions, this);
    }

    /** A rule up to the end of its line, {@code ;} or {@code }}. */
    NftRule rule() {
        Token start = in.peek();
        List<Statement> out = new ArrayList<>();
        String comment = null;
        while (!in.peek().endsLine()) {
            Token t = in.peek();
            if (t.is("comment")) {
                in.next();
                comment = in.expect(Token.Kind.STRING, "a quoted comment").text();
                if (!in.peek().endsLine()) {
                    throw in.error(
                            in.peek(),
                            "the comment must end the rule, found " + in.peek().describe());
                }
                break;
            }
            Statement s = statement(out);
            positions.put(s, t);
            out.add(s);
        }
        if (out.isEmpty()) {
            throw in.error(start, "a rule needs a statement, found " + start.describe());
        }
        List<Statement> canonical = Dependencies.normalize(out, family, positions, in);
        NftRule rule = new NftRule(canonical, comment);
        positions.put(rule, start);
        return rule;
    }

    private Statement statement(List<Statement> before) {
        Token t = in.peek();
        if (t.kind() != Token.Kind.WORD) {
            throw in.error(t, "expected a statement, found " + t.describe());
        }
        switch (t.text()) {
            case "accept", "drop", "continue", "return", "jump", "goto" -> {
                return new VerdictStmt(values.verdict());
            }
            case "counter" -> {
                return counter();
            }
            case "dnat", "snat" -> {
                return nats.nat(before);
            }
            case "masquerade" -> {
                return nats.masquerade(before);
            }
            case "reject" -> {
                return reject(before);
            }
            case "update", "add" -> {
                if (in.peek(1).kind() == Token.Kind.SET_REF) {
                    return setUpdate();
                }
                throw unsupported(t);
            }
            default -> {
                return expressionStatement();
            }
        }
    }

    private NftTextException unsupported(Token t) {
        return in.error(
                t,
                "unsupported statement " + t.describe() + " (kpsim reads matches on ip, ip6, tcp, udp, th, meta,"
                        + " ct, fib and numgen, verdicts, vmaps, counter, meta mark set, dnat, snat, masquerade,"
                        + " reject and set updates)");
    }

    private Statement counter() {
        in.expect("counter");
        if (!in.at("packets")) {
            if (in.at(Token.Kind.WORD) && !isStatementStart(in.peek())) {
                throw in.error(
                        in.peek(),
                        "named counters are not supported: " + in.peek().describe());
            }
            return new CounterStmt(0, 0);
        }
        in.expect("packets");
        long packets = expressions.number(in.word("a packet count"));
        in.expect("bytes");
        long bytes = expressions.number(in.word("a byte count"));
        return new CounterStmt(packets, bytes);
    }

    private boolean isStatementStart(Token t) {
        return switch (t.text()) {
            case "accept",
                    "drop",
                    "continue",
                    "return",
                    "jump",
                    "goto",
                    "counter",
                    "dnat",
                    "snat",
                    "masquerade",
                    "reject",
                    "comment",
                    "ip",
                    "ip6",
                    "tcp",
                    "udp",
                    "th",
                    "meta",
                    "mark",
                    "ct",
                    "iifname",
                    "oifname",
                    "fib",
                    "numgen",
                    "update",
                    "add" -> true;
            default -> false;
        };
    }

    /** An expression statement: a match, a verdict map, or {@code meta mark set}. */
    private Statement expressionStatement() {
        Token start = in.peek();
        Expr left = expressions.expression();
        if (in.at("set")) {
            Token set = in.next();
            if (!(left instanceof MetaExpr m && m.key() == MetaExpr.Key.MARK)) {
                throw in.error(set, "only 'meta mark set' is supported, not '" + left.text() + " set'");
            }
            return new MarkSetStmt(expressions.markValue());
        }
        left = expressions.bitwise(left);
        if (in.at("vmap")) {
            in.next();
            return new VmapStmt(left, setRef(left.type(), KeyType.of(DataType.VERDICT)));
        }
        if (in.at("map")) {
            throw in.error(in.peek(), "a map lookup is only supported as the address of dnat/snat");
        }
        boolean negated = false;
        if (in.accept(Token.Kind.NEQ)) {
            negated = true;
        } else if (in.accept(Token.Kind.EQ)) {
            negated = false;
        } else if (in.at(Token.Kind.OTHER)) {
            throw in.error(in.peek(), "unsupported operator " + in.peek().describe() + " (kpsim reads == and !=)");
        }
        Token value = in.peek();
        if (value.endsLine()) {
            throw in.error(value, "expected a value to compare '" + left.text() + "' with, found " + value.describe());
        }
        return new MatchStmt(left, negated, rhs(left, start));
    }

    private Rhs rhs(Expr left, Token start) {
        KeyType type = left.type();
        Token t = in.peek();
        if (t.kind() == Token.Kind.SET_REF) {
            in.next();
            return new Rhs.Lookup(SetRef.named(t.text()));
        }
        if (t.kind() == Token.Kind.LBRACE) {
            return anonymousSet(type);
        }
        if (type.isConcat()) {
            ValueParser.Bounds b = values.key(type, false);
            return new Rhs.Value(b.low());
        }
        DataType dt = type.single();
        if (dt.isFlags()) {
            long mask = 0;
            do {
                mask |= values.value(dt, in.next()).hostOrderValue();
            } while (in.accept(Token.Kind.COMMA));
            return new Rhs.Flags(Datum.hostOrder(mask, dt.length()));
        }
        if (dt == DataType.IFNAME && t.kind() == Token.Kind.STRING && t.text().endsWith("*")) {
            in.next();
            String prefix = t.text().substring(0, t.text().length() - 1);
            values.value(dt, new Token(Token.Kind.STRING, prefix, t.line(), t.column()));
            return new Rhs.Wildcard(prefix);
        }
        ValueParser.Bounds b = values.bounds(dt, in.next());
        return switch (b.written()) {
            case VALUE -> new Rhs.Value(b.low());
            case PREFIX -> b.prefix() == dt.length() * 8 ? new Rhs.Value(b.low()) : new Rhs.Prefix(b.low(), b.prefix());
            case RANGE -> new Rhs.Range(b.low(), b.high());
        };
    }

    /** {@code { ... }} after a match: a set lookup, or the single element as a plain value (as nft does). */
    private Rhs anonymousSet(KeyType type) {
        List<ValueParser.Form> forms = new ArrayList<>();
        Token brace = in.peek();
        List<SetElement> elements = values.elements(type, null, forms);
        if (elements.isEmpty()) {
            throw in.error(brace, "an inline set needs at least one element");
        }
        if (elements.size() == 1 && !type.isConcat() && elements.get(0).comment() == null) {
            SetElement e = elements.get(0);
            DataType dt = type.single();
            if (dt.isFlags() && e.isPoint()) {
                return new Rhs.Flags(e.low());
            }
            return switch (forms.get(0)) {
                case VALUE -> new Rhs.Value(e.low());
                case PREFIX -> {
                    int len = ElementPrinter.prefixLength(e.low(), e.high());
                    yield len == dt.length() * 8 ? new Rhs.Value(e.low()) : new Rhs.Prefix(e.low(), len);
                }
                case RANGE -> new Rhs.Range(e.low(), e.high());
            };
        }
        return new Rhs.Lookup(SetRef.inline(inline(type, null, elements, brace)));
    }

    /** An inline set or map: interval when any element is a range, ranges merged as nft merges them. */
    private NftSet inline(KeyType key, KeyType data, List<SetElement> elements, Token at) {
        boolean interval = false;
        for (SetElement e : elements) {
            interval |= !e.isPoint();
        }
        List<SetElement> list = elements;
        if (interval && !key.isConcat()) {
            if (data == null) {
                list = Intervals.merge(elements, key.single());
            } else if (Intervals.firstOverlap(elements, key.single()) != null) {
                throw in.error(at, "conflicting intervals specified");
            }
        }
        return NftSet.anonymous(key, data, interval ? NftSet.INTERVAL : 0, list);
    }

    /** {@code @name} or an inline map of {@code key : data}. */
    SetRef setRef(KeyType key, KeyType data) {
        Token t = in.peek();
        if (t.kind() == Token.Kind.SET_REF) {
            in.next();
            return SetRef.named(t.text());
        }
        if (t.kind() != Token.Kind.LBRACE) {
            throw in.error(t, "expected '@map' or '{', found " + t.describe());
        }
        List<SetElement> elements = values.elements(key, data, null);
        if (elements.isEmpty()) {
            throw in.error(t, "an inline map needs at least one element");
        }
        return SetRef.inline(inline(key, data, elements, t));
    }

    private Statement reject(List<Statement> before) {
        in.expect("reject");
        if (!in.accept("with")) {
            return Dependencies.defaultReject(before, family);
        }
        Token kind = in.word("icmp, icmpv6, icmpx or tcp");
        RejectStmt.Type type = switch (kind.text()) {
            case "icmp" -> RejectStmt.Type.ICMP;
            case "icmpv6" -> RejectStmt.Type.ICMPV6;
            case "icmpx" -> RejectStmt.Type.ICMPX;
            case "tcp" -> RejectStmt.Type.TCP_RESET;
            default ->
                throw in.error(
                        kind,
                        "unknown reject type " + kind.describe() + " (expected icmp, icmpv6, icmpx or tcp reset)");
        };
        if (type == RejectStmt.Type.TCP_RESET) {
            in.expect("reset");
            if (Dependencies.transportIsNot(before, 6)) {
                throw in.error(kind, "you cannot use tcp reset with this protocol (the rule matches another one)");
            }
            return RejectStmt.TCP_RESET;
        }
        boolean allowed = switch (family) {
            case IP -> type == RejectStmt.Type.ICMP;
            case IP6 -> type == RejectStmt.Type.ICMPV6;
            case INET -> true;
        };
        if (!allowed) {
            throw in.error(
                    kind,
                    "'reject with " + kind.text() + "' in a table of family " + family.keyword()
                            + (type == RejectStmt.Type.ICMPX
                                    ? " (abstracted ICMP unreachable not supported)"
                                    : " (conflicting protocols)"));
        }
        in.accept("type");
        Token c = in.word("a " + kind.text() + " code");
        int code = RejectStmt.code(type, c.text());
        if (code < 0) {
            throw in.error(
                    c,
                    "unknown " + kind.text() + " code " + c.describe() + " (expected " + RejectStmt.codeNames(type)
                            + ")");
        }
        return new RejectStmt(type, code);
    }

    private Statement setUpdate() {
        boolean update = in.next().is("update");
        String set = in.next().text();
        in.expect(Token.Kind.LBRACE, "'{'");
        Expr key = expressions.expression();
        long timeout = -1;
        if (in.accept("timeout")) {
            timeout = values.duration();
        }
        in.expect(Token.Kind.RBRACE, "'}'");
        return new SetUpdateStmt(update, set, key, timeout);
    }
}
