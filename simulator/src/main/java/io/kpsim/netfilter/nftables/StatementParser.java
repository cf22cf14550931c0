package io.kpsim.netfilter.nftables;

import io.kpsim.packet.Ip4;
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

    StatementParser(Cursor in, NftFamily family, Map<Object, Token> positions) {
        this.in = in;
        this.values = new ValueParser(in);
        this.family = family;
        this.positions = positions;
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
                return nat(before);
            }
            case "masquerade" -> {
                return masquerade(before);
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
        long packets = number(in.word("a packet count"));
        in.expect("bytes");
        long bytes = number(in.word("a byte count"));
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

    private long number(Token t) {
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

    /** An expression statement: a match, a verdict map, or {@code meta mark set}. */
    private Statement expressionStatement() {
        Token start = in.peek();
        Expr left = expression();
        if (in.at("set")) {
            Token set = in.next();
            if (!(left instanceof MetaExpr m && m.key() == MetaExpr.Key.MARK)) {
                throw in.error(set, "only 'meta mark set' is supported, not '" + left.text() + " set'");
            }
            return new MarkSetStmt(markValue());
        }
        left = bitwise(left);
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
    private SetRef setRef(KeyType key, KeyType data) {
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

    /** A value expression: one primary, or several joined by {@code .}. */
    private Expr expression() {
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
    private Expr bitwise(Expr left) {
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
    private Expr markValue() {
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

    private Statement nat(List<Statement> before) {
        Token kw = in.next();
        boolean source = kw.is("snat");
        DataType addressType = null;
        Token fam = in.peek();
        if (in.accept("ip")) {
            addressType = DataType.IPV4_ADDR;
        } else if (in.accept("ip6")) {
            addressType = DataType.IPV6_ADDR;
        }
        if (addressType == DataType.IPV6_ADDR && family == NftFamily.IP
                || addressType == DataType.IPV4_ADDR && family == NftFamily.IP6) {
            throw in.error(
                    fam,
                    "'" + kw.text() + " " + fam.text() + "' in a table of family " + family.keyword()
                            + " (conflicting protocols)");
        }
        in.expect("to");
        Token t = in.peek();
        Datum address = null;
        Expr mapKey = null;
        SetRef map = null;
        String portText = null;
        if (t.kind() == Token.Kind.WORD && looksLikeAddress(t.text())) {
            in.next();
            String text = t.text();
            if (addressType == null) {
                addressType = family == NftFamily.IP6 || text.startsWith("[") || text.indexOf('.') < 0
                        ? DataType.IPV6_ADDR
                        : DataType.IPV4_ADDR;
            }
            String addressText = text;
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                addressText = text.substring(1, close);
                if (close + 1 < text.length()) {
                    if (text.charAt(close + 1) != ':') {
                        throw in.error(t, "expected ':PORT' after ']' in " + t.describe());
                    }
                    portText = text.substring(close + 2);
                }
            } else if (addressType == DataType.IPV4_ADDR && text.indexOf(':') >= 0) {
                addressText = text.substring(0, text.indexOf(':'));
                portText = text.substring(text.indexOf(':') + 1);
            }
            if (addressType == DataType.IPV4_ADDR && addressText.indexOf('-') >= 0) {
                throw in.error(t, "address ranges in " + kw.text() + " are not supported: " + t.describe());
            }
            address = values.value(addressType, new Token(Token.Kind.WORD, addressText, t.line(), t.column()));
        } else {
            if (addressType == null) {
                addressType = family == NftFamily.IP6 ? DataType.IPV6_ADDR : DataType.IPV4_ADDR;
            }
            mapKey = expression();
            in.expect("map");
            map = setRef(mapKey.type(), KeyType.of(addressType));
            if (in.at(Token.Kind.WORD) && in.peek().text().startsWith(":")) {
                Token p = in.next();
                portText = p.text().substring(1);
            }
        }
        int[] ports = ports(portText, t, before, kw);
        boolean[] flags = natFlags();
        return new NatStmt(source, addressType, address, mapKey, map, ports[0], ports[1], flags[0], flags[1], flags[2]);
    }

    private static boolean looksLikeAddress(String text) {
        if (text.startsWith("[")) {
            return true;
        }
        char c = text.charAt(0);
        if (!Character.isDigit(c) && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F') && c != ':') {
            return false;
        }
        String head = text.indexOf(':') >= 0 && text.indexOf('.') >= 0 ? text.substring(0, text.indexOf(':')) : text;
        return Ip4.isValid(head.indexOf('-') >= 0 ? head.substring(0, head.indexOf('-')) : head)
                || text.indexOf(':') >= 0;
    }

    /** {@code [port, port]} of {@code PORT} or {@code LOW-HIGH}; {@code [0, 0]} for none. */
    private int[] ports(String text, Token at, List<Statement> before, Token kw) {
        if (text == null) {
            return new int[] {0, 0};
        }
        if (!Dependencies.hasTransport(before)) {
            throw in.error(
                    at,
                    "transport protocol mapping is only valid after transport protocol match (" + kw.text()
                            + " to a port needs e.g. 'meta l4proto tcp' or 'tcp dport' first)");
        }
        int dash = text.indexOf('-');
        int lo = port(dash < 0 ? text : text.substring(0, dash), at);
        int hi = dash < 0 ? lo : port(text.substring(dash + 1), at);
        if (lo == 0 || hi < lo) {
            throw in.error(at, "bad port range '" + text + "'");
        }
        return new int[] {lo, hi};
    }

    private int port(String text, Token at) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 0 && p <= 0xffff) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw in.error(at, "'" + text + "' is not a port number (0..65535)");
    }

    /** {@code random}, {@code fully-random}, {@code persistent}, comma-separated. */
    private boolean[] natFlags() {
        boolean[] f = new boolean[3];
        if (!in.at("random") && !in.at("fully-random") && !in.at("persistent")) {
            return f;
        }
        do {
            Token t = in.word("random, fully-random or persistent");
            switch (t.text()) {
                case "random" -> f[0] = true;
                case "fully-random" -> f[1] = true;
                case "persistent" -> f[2] = true;
                default ->
                    throw in.error(
                            t, "unknown NAT flag " + t.describe() + " (expected random, fully-random or persistent)");
            }
        } while (in.accept(Token.Kind.COMMA));
        return f;
    }

    private Statement masquerade(List<Statement> before) {
        Token kw = in.next();
        int[] ports = {0, 0};
        if (in.accept("to")) {
            Token p = in.word("':PORT'");
            if (!p.text().startsWith(":")) {
                throw in.error(p, "expected ':PORT' or ':LOW-HIGH' after 'masquerade to', found " + p.describe());
            }
            ports = ports(p.text().substring(1), p, before, kw);
        }
        boolean[] flags = natFlags();
        return new MasqueradeStmt(ports[0], ports[1], flags[0], flags[1], flags[2]);
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
        Expr key = expression();
        long timeout = -1;
        if (in.accept("timeout")) {
            timeout = values.duration();
        }
        in.expect(Token.Kind.RBRACE, "'}'");
        return new SetUpdateStmt(update, set, key, timeout);
    }
}
