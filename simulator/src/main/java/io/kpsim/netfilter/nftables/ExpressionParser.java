package io.kpsim.netfilter.nftables;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the value expressions of a rule ({@code ip daddr}, {@code meta l4proto . th dport},
 * {@code numgen random mod 2}, {@code meta mark & 0x4000}) for {@link StatementParser}: the left
 * side of a match, the key of a verdict map or NAT map, and the value of {@code meta mark set}.
 * An expression the family cannot see ({@code ip6 daddr} in a table of family {@code ip}) is
 * refused with its position, as {@code nft -f} refuses it.
 */
final class ExpressionParser {

    private final Cursor in;
    private final ValueParser values;
    private final NftFamily family;

    ExpressionParser(Cursor in, ValueParser values, NftFamily family) {
        this.in = in;
        this.values = values;
        this.family = family;
    }

    /** A value expression: one primary, or several joined by {@code .}. */
    Expr expression() {
        Expr first = primary();
        if (!in.at(Token.Kind.DOT)) {
            return first;
        }
        List<Expr> parts = new ArrayList<>();
        parts.add(first);
        while (in.accept(Token.Kind.DOT)) {
            parts.add(primary());
        }
        return new ConcatExpr(parts);
    }

    private Expr primary() {
        Token t = in.next();
        if (t.kind() != Token.Kind.WORD) {
            throw in.error(t, "expected an expression, found " + t.describe());
        }
        switch (t.text()) {
            case "ip", "ip6" -> {
                boolean v6 = t.text().equals("ip6");
                if ((v6 && family == NftFamily.IP) || (!v6 && family == NftFamily.IP6)) {
                    throw in.error(
                            t,
                            "'" + t.text() + "' in a table of family " + family.keyword() + " (conflicting protocols)");
                }
                Token f = in.word("a field of " + t.text());
                PayloadExpr.Field field = switch (f.text()) {
                    case "saddr" -> PayloadExpr.Field.SADDR;
                    case "daddr" -> PayloadExpr.Field.DADDR;
                    case "protocol" -> v6 ? null : PayloadExpr.Field.PROTOCOL;
                    case "nexthdr" -> v6 ? PayloadExpr.Field.NEXTHDR : null;
                    default -> null;
                };
                if (field == null) {
                    throw in.error(
                            f,
                            "unsupported field '" + t.text() + " " + f.text() + "' (kpsim reads saddr, daddr, "
                                    + (v6 ? "nexthdr" : "protocol") + ")");
                }
                return new PayloadExpr(v6 ? PayloadExpr.Header.IP6 : PayloadExpr.Header.IP, field);
            }
            case "tcp", "udp", "th" -> {
                Token f = in.word("a field of " + t.text());
                PayloadExpr.Field field = switch (f.text()) {
                    case "sport" -> PayloadExpr.Field.SPORT;
                    case "dport" -> PayloadExpr.Field.DPORT;
                    default ->
                        throw in.error(
                                f, "unsupported field '" + t.text() + " " + f.text() + "' (kpsim reads sport, dport)");
                };
                PayloadExpr.Header h = switch (t.text()) {
                    case "tcp" -> PayloadExpr.Header.TCP;
                    case "udp" -> PayloadExpr.Header.UDP;
                    default -> PayloadExpr.Header.TH;
                };
                return new PayloadExpr(h, field);
            }
            case "meta" -> {
                Token k = in.word("a meta key");
                return switch (k.text()) {
                    case "l4proto" -> new MetaExpr(MetaExpr.Key.L4PROTO);
                    case "nfproto" -> {
                        if (family != NftFamily.INET) {
                            throw in.error(k, "'meta nfproto' is only meaningful in an inet table");
                        }
                        yield new MetaExpr(MetaExpr.Key.NFPROTO);
                    }
                    case "mark" -> new MetaExpr(MetaExpr.Key.MARK);
                    case "iifname" -> new MetaExpr(MetaExpr.Key.IIFNAME);
                    case "oifname" -> new MetaExpr(MetaExpr.Key.OIFNAME);
                    default ->
                        throw in.error(
                                k,
                                "unsupported expression 'meta " + k.text()
                                        + "' (kpsim reads meta l4proto, nfproto, mark, iifname, oifname)");
                };
            }
            case "mark" -> {
                return new MetaExpr(MetaExpr.Key.MARK);
            }
            case "iifname" -> {
                return new MetaExpr(MetaExpr.Key.IIFNAME);
            }
            case "oifname" -> {
                return new MetaExpr(MetaExpr.Key.OIFNAME);
            }
            case "ct" -> {
                Token k = in.word("a ct key");
                return switch (k.text()) {
                    case "state" -> new CtExpr(CtExpr.Key.STATE);
                    case "status" -> new CtExpr(CtExpr.Key.STATUS);
                    case "mark" -> new CtExpr(CtExpr.Key.MARK);
                    default ->
                        throw in.error(
                                k, "unsupported expression 'ct " + k.text() + "' (kpsim reads ct state, status, mark)");
                };
            }
            case "fib" -> {
                Token a = in.word("saddr or daddr");
                if (!a.is("saddr") && !a.is("daddr")) {
                    throw in.error(
                            a, "unsupported fib lookup 'fib " + a.text() + "' (kpsim reads fib saddr|daddr type)");
                }
                if (in.at(Token.Kind.DOT)) {
                    throw in.error(in.peek(), "unsupported fib lookup with a device ('. iif'/'. oif')");
                }
                Token r = in.word("'type'");
                if (!r.is("type")) {
                    throw in.error(r, "unsupported fib result '" + r.text() + "' (kpsim reads 'type')");
                }
                return new FibExpr(a.is("daddr"));
            }
            case "numgen" -> {
                Token mode = in.word("random or inc");
                if (!mode.is("random") && !mode.is("inc")) {
                    throw in.error(mode, "unsupported numgen mode '" + mode.text() + "' (kpsim reads random, inc)");
                }
                in.expect("mod");
                int mod = (int) positive(in.word("a modulus"));
                int offset = 0;
                if (in.accept("offset")) {
                    offset = (int) number(in.word("an offset"));
                }
                return new NumgenExpr(mode.is("random"), mod, offset);
            }
            default ->
                throw in.error(
                        t,
                        "unsupported expression or statement " + t.describe()
                                + " (kpsim reads matches on ip, ip6, tcp, udp, th, meta, ct, fib and numgen, verdicts,"
                                + " vmaps, counter, meta mark set, dnat, snat, masquerade, reject and set updates)");
        }
    }

    private long positive(Token t) {
        long v = number(t);
        if (v == 0 || v > Integer.MAX_VALUE) {
            throw in.error(t, "expected a positive number, found " + t.describe());
        }
        return v;
    }

    /** {@code left & value} / {@code | value} / {@code ^ value} (and the words and, or, xor) on a mark. */
    Expr bitwise(Expr left) {
        Token t = in.peek();
        BitwiseExpr.Op op = null;
        if (t.kind() == Token.Kind.AMP || t.is("and")) {
            op = BitwiseExpr.Op.AND;
        } else if (t.kind() == Token.Kind.PIPE || t.is("or")) {
            op = BitwiseExpr.Op.OR;
        } else if (t.kind() == Token.Kind.CARET || t.is("xor")) {
            op = BitwiseExpr.Op.XOR;
        }
        if (op == null) {
            return left;
        }
        if (left.type().isConcat() || left.dataType() != DataType.MARK) {
            throw in.error(t, "bitwise operations are supported on marks only, not on '" + left.text() + "'");
        }
        in.next();
        return new BitwiseExpr(left, op, values.value(DataType.MARK, in.next()));
    }

    /** The value of {@code meta mark set}: a constant, {@code meta mark OP constant} or {@code ct mark}. */
    Expr markValue() {
        Token t = in.peek();
        if (t.is("meta") || t.is("mark") || t.is("ct")) {
            Expr e = primary();
            if (e.type().isConcat() || e.dataType() != DataType.MARK) {
                throw in.error(t, "'meta mark set' needs a mark, not '" + e.text() + "'");
            }
            if (e instanceof CtExpr) {
                return e;
            }
            Expr b = bitwise(e);
            if (b == e) {
                throw in.error(
                        in.peek(),
                        "expected '|', '&' or '^' after 'meta mark', found "
                                + in.peek().describe());
            }
            return b;
        }
        return new ConstExpr(DataType.MARK, values.value(DataType.MARK, in.next()));
    }

    /** A non-negative decimal number. */
    long number(Token t) {
        try {
            long v = Long.parseLong(t.text());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw in.error(t, "expected a number, found " + t.describe());
    }
}
