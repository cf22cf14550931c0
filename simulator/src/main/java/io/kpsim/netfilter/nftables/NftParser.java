package io.kpsim.netfilter.nftables;

import io.kpsim.netfilter.Hook;
import io.kpsim.netfilter.Policy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads nftables text: what {@code nft list ruleset} prints (table blocks with their sets, maps and
 * chains) and what {@code nft -f} takes (the same blocks, and commands such as kube-proxy's
 * {@code add table}, {@code add chain}, {@code add rule}, {@code add set}, {@code add element},
 * {@code flush}, {@code delete}), in the vocabulary of kube-proxy's nftables mode and common CNIs.
 * Anything else is refused with {@code FILE:LINE:COLUMN: what} ({@link NftTextException}), as are
 * references to chains and sets that do not exist and statements the kernel would refuse where
 * they are ({@link NftValidator}).
 */
public final class NftParser {

    private final Cursor in;
    private final Map<String, TableDraft> tables = new LinkedHashMap<>();
    private final Map<Object, Token> positions = new IdentityHashMap<>();

    private NftParser(String file, String text) {
        this.in = new Cursor(file, NftLexer.tokens(file, text));
    }

    /**
     * The ruleset {@code text} describes, starting from an empty node.
     *
     * @param file the name errors give (e.g. the file's path)
     * @throws NftTextException {@code FILE:LINE:COLUMN: what} for the first problem
     */
    public static NftRuleset parse(String file, String text) {
        NftParser p = new NftParser(file, text);
        p.run();
        return p.finish();
    }

    private void run() {
        while (true) {
            in.skipSeparators();
            Token t = in.peek();
            if (t.kind() == Token.Kind.EOF) {
                return;
            }
            if (t.is("table")) {
                in.next();
                tableBlock();
            } else if (t.is("add") || t.is("create") || t.is("insert") || t.is("flush") || t.is("delete")) {
                command();
            } else {
                throw in.error(t, "expected 'table' or a command (add, insert, flush, delete), found " + t.describe());
            }
        }
    }

    // ------------------------------------------------------------------ tables, chains, sets

    private NftFamily family(boolean optional) {
        Token t = in.peek();
        if (t.kind() == Token.Kind.WORD) {
            NftFamily f = NftFamily.byKeyword(t.text());
            boolean nameFollows =
                    in.peek(1).kind() == Token.Kind.WORD || in.peek(1).kind() == Token.Kind.STRING;
            if (f != null && nameFollows) {
                in.next();
                return f;
            }
            if ((t.is("arp") || t.is("bridge") || t.is("netdev")) && nameFollows) {
                throw in.error(t, "unsupported table family '" + t.text() + "' (kpsim reads ip, ip6 and inet)");
            }
        }
        if (!optional) {
            throw in.error(t, "expected a table family (ip, ip6, inet), found " + t.describe());
        }
        return NftFamily.IP;
    }

    private String name(String what) {
        Token t = in.next();
        if (t.kind() != Token.Kind.WORD && t.kind() != Token.Kind.STRING) {
            throw in.error(t, "expected " + what + ", found " + t.describe());
        }
        return t.text();
    }

    private TableDraft createTable(NftFamily family, String name, Token at) {
        return tables.computeIfAbsent(family.keyword() + " " + name, k -> new TableDraft(family, name, at));
    }

    private TableDraft existingTable(NftFamily family, String name, Token at) {
        TableDraft t = tables.get(family.keyword() + " " + name);
        if (t == null) {
            throw in.error(at, "no table " + family.keyword() + " " + name);
        }
        return t;
    }

    private void tableBlock() {
        Token at = in.peek();
        NftFamily family = family(true);
        TableDraft table = createTable(family, name("a table name"), at);
        in.expect(Token.Kind.LBRACE, "'{'");
        while (true) {
            in.skipSeparators();
            Token t = in.next();
            if (t.kind() == Token.Kind.RBRACE) {
                return;
            }
            if (t.is("comment")) {
                table.comment = in.expect(Token.Kind.STRING, "a quoted comment").text();
            } else if (t.is("chain")) {
                ChainDraft chain = table.chain(name("a chain name"), t);
                in.expect(Token.Kind.LBRACE, "'{'");
                chainBody(table, chain, true);
            } else if (t.is("set") || t.is("map")) {
                String n = name("a set name");
                table.addSet(setBody(n, t.is("map"), t), t, in, positions);
            } else if (t.kind() == Token.Kind.EOF) {
                throw in.error(t, "table " + table.label() + " is not closed by '}'");
            } else {
                throw in.error(
                        t, "unsupported table object " + t.describe() + " (kpsim reads comment, chain, set, map)");
            }
        }
    }

    /** The body of a chain after its {@code {}, up to and including its {@code }}. */
    private void chainBody(TableDraft table, ChainDraft chain, boolean rules) {
        StatementParser statements = new StatementParser(in, table.family, positions);
        while (true) {
            in.skipSeparators();
            Token t = in.peek();
            if (t.kind() == Token.Kind.RBRACE) {
                in.next();
                return;
            }
            if (t.kind() == Token.Kind.EOF) {
                throw in.error(t, "chain " + chain.name + " is not closed by '}'");
            }
            if (t.is("type")) {
                in.next();
                chain.base = baseChain(chain.base);
            } else if (t.is("policy")) {
                in.next();
                Token p = in.word("accept or drop");
                if (chain.base == null) {
                    throw in.error(t, "only a base chain has a policy (give 'type ... hook ... priority ...' first)");
                }
                chain.base = new BaseChain(chain.base.type(), chain.base.hook(), chain.base.priority(), policy(p));
            } else if (t.is("comment")
                    && in.peek(1).kind() == Token.Kind.STRING
                    && in.peek(2).endsLine()) {
                in.next();
                chain.comment = in.next().text();
            } else if (t.is("device") || t.is("devices")) {
                throw in.error(t, "unsupported chain option " + t.describe() + " (kpsim reads ip, ip6 and inet hooks)");
            } else if (rules) {
                chain.rules.add(statements.rule());
            } else {
                throw in.error(
                        t, "expected 'type', 'policy' or 'comment' in a chain declaration, found " + t.describe());
            }
        }
    }

    private Policy policy(Token p) {
        if (p.is("accept")) {
            return Policy.ACCEPT;
        }
        if (p.is("drop")) {
            return Policy.DROP;
        }
        throw in.error(p, "expected policy accept or drop, found " + p.describe());
    }

    /** {@code type T hook H priority P [; policy X]} after {@code type}. */
    private BaseChain baseChain(BaseChain previous) {
        Token typeToken = in.word("a chain type");
        ChainType type = ChainType.byKeyword(typeToken.text());
        if (type == null) {
            throw in.error(typeToken, "unknown chain type " + typeToken.describe() + " (expected filter, nat, route)");
        }
        in.expect("hook");
        Token hookToken = in.word("a hook");
        Hook hook = BaseChain.hookByName(hookToken.text());
        if (hook == null) {
            throw in.error(
                    hookToken,
                    "unsupported hook " + hookToken.describe()
                            + " (kpsim reads prerouting, input, forward, output, postrouting)");
        }
        if (!type.allows(hook)) {
            throw in.error(
                    typeToken,
                    "a " + type.keyword() + " chain cannot hook " + hookToken.text()
                            + " (the kernel refuses it: Operation not supported)");
        }
        in.expect("priority");
        Token p = in.peek();
        int priority = priority(hook);
        if (type == ChainType.NAT && priority <= -200) {
            throw in.error(
                    p,
                    "a nat chain's priority must be above -200, the conntrack hook's"
                            + " (the kernel refuses it: Operation not supported)");
        }
        Policy policy = previous == null ? Policy.ACCEPT : previous.policy();
        in.accept(Token.Kind.SEMICOLON);
        if (in.accept("policy")) {
            policy = policy(in.word("accept or drop"));
        }
        return new BaseChain(type, hook, priority, policy);
    }

    private int priority(Hook hook) {
        Token t = in.word("a priority");
        int value;
        if (isInteger(t.text())) {
            value = Integer.parseInt(t.text());
        } else {
            Integer named = Priority.named(t.text(), hook);
            if (named == null) {
                throw in.error(
                        t,
                        (Priority.isName(t.text())
                                        ? "priority '" + t.text() + "' is not valid at hook " + BaseChain.hookName(hook)
                                        : "invalid priority " + t.describe())
                                + " (expected a number, raw, mangle, dstnat, filter, security or srcnat, optionally"
                                + " '+ N' or '- N')");
            }
            value = named;
            if (in.at(Token.Kind.PLUS) || in.at(Token.Kind.MINUS)) {
                boolean minus = in.next().kind() == Token.Kind.MINUS;
                Token n = in.word("an offset");
                if (!isInteger(n.text()) || n.text().startsWith("-")) {
                    throw in.error(n, "expected a number after '" + (minus ? "-" : "+") + "', found " + n.describe());
                }
                value += minus ? -Integer.parseInt(n.text()) : Integer.parseInt(n.text());
            }
        }
        return value;
    }

    private static boolean isInteger(String s) {
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

    /** The body of a set or map after its name, from {@code {} to {@code }}. */
    private NftSet setBody(String name, boolean map, Token at) {
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
                    if (!isInteger(n.text()) || n.text().startsWith("-")) {
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
    private List<SetElement> checkedElements(NftSet set, List<SetElement> elements, Token at) {
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

    private void command() {
        Token verb = in.next();
        Token object = in.word("table, chain, rule, set, map, element or ruleset");
        String v = verb.text();
        String o = object.text();
        if (v.equals("flush") && o.equals("ruleset")) {
            tables.clear();
            endOfCommand();
            return;
        }
        Token at = in.peek();
        NftFamily family = family(true);
        String tableName = name("a table name");
        switch (v + " " + o) {
            case "add table", "create table" -> {
                TableDraft t = createTable(family, tableName, at);
                if (in.accept(Token.Kind.LBRACE)) {
                    while (true) {
                        in.skipSeparators();
                        Token x = in.next();
                        if (x.kind() == Token.Kind.RBRACE) {
                            break;
                        }
                        if (!x.is("comment")) {
                            throw in.error(x, "unsupported table option " + x.describe() + " (kpsim reads comment)");
                        }
                        t.comment =
                                in.expect(Token.Kind.STRING, "a quoted comment").text();
                    }
                }
            }
            case "flush table" -> existingTable(family, tableName, at).flush();
            case "delete table" -> {
                existingTable(family, tableName, at);
                tables.remove(family.keyword() + " " + tableName);
            }
            case "add chain", "create chain" -> {
                TableDraft t = existingTable(family, tableName, at);
                ChainDraft c = t.chain(name("a chain name"), object);
                if (in.accept(Token.Kind.LBRACE)) {
                    chainBody(t, c, false);
                }
            }
            case "flush chain" -> existingChain(family, tableName, at).rules.clear();
            case "delete chain" -> {
                TableDraft t = existingTable(family, tableName, at);
                Token n = in.peek();
                String chain = name("a chain name");
                if (t.chains.remove(chain) == null) {
                    throw in.error(n, "no chain " + chain + " in table " + t.label());
                }
            }
            case "add rule", "insert rule" -> {
                ChainDraft c = existingChain(family, tableName, at);
                NftRule r = new StatementParser(in, family, positions).rule();
                if (v.equals("add")) {
                    c.rules.add(r);
                } else {
                    c.rules.add(0, r);
                }
            }
            case "add set", "add map", "create set", "create map" -> {
                TableDraft t = existingTable(family, tableName, at);
                String n = name("a set name");
                NftSet declared = setBody(n, o.equals("map"), object);
                if (t.sets.containsKey(n) && v.equals("create")) {
                    throw in.error(object, "set " + n + " exists already");
                }
                if (!t.sets.containsKey(n)) {
                    t.addSet(declared, object, in, positions);
                }
            }
            case "flush set", "flush map" -> {
                NftSet s = existingSet(family, tableName, at);
                existingTable(family, tableName, at).sets.put(s.name(), s.withElements(List.of()));
            }
            case "delete set", "delete map" -> {
                NftSet s = existingSet(family, tableName, at);
                existingTable(family, tableName, at).sets.remove(s.name());
            }
            case "add element", "create element" -> {
                TableDraft t = existingTable(family, tableName, at);
                NftSet s = existingSet(t, at);
                Token brace = in.peek();
                List<SetElement> added = new ValueParser(in).elements(s.key(), s.data(), null);
                List<SetElement> all = new ArrayList<>(s.elements());
                all.addAll(added);
                t.sets.put(s.name(), s.withElements(checkedElements(s, all, brace)));
            }
            case "delete element" -> {
                TableDraft t = existingTable(family, tableName, at);
                NftSet s = existingSet(t, at);
                Token brace = in.peek();
                List<SetElement> gone = new ValueParser(in).elements(s.key(), s.data(), null);
                List<SetElement> kept = new ArrayList<>(s.elements());
                for (SetElement g : gone) {
                    if (!kept.removeIf(e -> e.low().equals(g.low()) && e.high().equals(g.high()))) {
                        throw in.error(
                                brace,
                                "set " + s.name() + " has no element '"
                                        + ElementPrinter.formatKey(s.key(), g.low(), g.high()) + "'");
                    }
                }
                t.sets.put(s.name(), s.withElements(kept));
            }
            default -> throw in.error(object, "unsupported command '" + v + " " + o + "'");
        }
        endOfCommand();
    }

    private void endOfCommand() {
        if (!in.peek().endsLine() || in.at(Token.Kind.RBRACE)) {
            throw in.error(
                    in.peek(),
                    "expected the end of the command, found " + in.peek().describe());
        }
    }

    private ChainDraft existingChain(NftFamily family, String tableName, Token at) {
        TableDraft t = existingTable(family, tableName, at);
        Token n = in.peek();
        String chain = name("a chain name");
        ChainDraft c = t.chains.get(chain);
        if (c == null) {
            throw in.error(n, "no chain " + chain + " in table " + t.label());
        }
        return c;
    }

    private NftSet existingSet(NftFamily family, String tableName, Token at) {
        return existingSet(existingTable(family, tableName, at), at);
    }

    private NftSet existingSet(TableDraft t, Token at) {
        Token n = in.peek();
        String set = name("a set name");
        NftSet s = t.sets.get(set);
        if (s == null) {
            throw in.error(n, "no set " + set + " in table " + t.label());
        }
        return s;
    }

    // ------------------------------------------------------------------ the result

    private NftRuleset finish() {
        List<NftTable> out = new ArrayList<>();
        for (TableDraft t : tables.values()) {
            out.add(t.build());
        }
        NftRuleset ruleset = new NftRuleset(out);
        NftValidator.check(ruleset, positions, in);
        return ruleset;
    }

    /** A table while it is read. */
    private static final class TableDraft {
        final NftFamily family;
        final String name;
        final Token declared;
        String comment;
        final Map<String, NftSet> sets = new LinkedHashMap<>();
        final Map<String, ChainDraft> chains = new LinkedHashMap<>();

        TableDraft(NftFamily family, String name, Token declared) {
            this.family = family;
            this.name = name;
            this.declared = declared;
        }

        String label() {
            return family.keyword() + " " + name;
        }

        ChainDraft chain(String chainName, Token at) {
            return chains.computeIfAbsent(chainName, n -> new ChainDraft(n, at));
        }

        void addSet(NftSet set, Token at, Cursor in, Map<Object, Token> positions) {
            if (sets.containsKey(set.name())) {
                NftSet old = sets.get(set.name());
                if (!old.key().equals(set.key()) || (old.data() == null) != (set.data() == null)) {
                    throw in.error(at, "set " + set.name() + " redeclared with another type");
                }
                List<SetElement> all = new ArrayList<>(old.elements());
                all.addAll(set.elements());
                sets.put(set.name(), old.withElements(all));
                return;
            }
            sets.put(set.name(), set);
            positions.put(set, at);
        }

        void flush() {
            for (ChainDraft c : chains.values()) {
                c.rules.clear();
            }
        }

        NftTable build() {
            Set<String> updated = new HashSet<>();
            List<NftChain> built = new ArrayList<>();
            for (ChainDraft c : chains.values()) {
                built.add(new NftChain(c.name, c.base, c.comment, c.rules));
                for (NftRule r : c.rules) {
                    for (Statement s : r.statements()) {
                        if (s instanceof SetUpdateStmt u) {
                            updated.add(u.set());
                        }
                    }
                }
            }
            List<NftSet> builtSets = new ArrayList<>();
            for (NftSet s : sets.values()) {
                builtSets.add(updated.contains(s.name()) ? s.updatedByRules() : s);
            }
            return new NftTable(family, name, comment, builtSets, built);
        }
    }

    /** A chain while it is read. */
    private static final class ChainDraft {
        final String name;
        final Token declared;
        BaseChain base;
        String comment;
        final List<NftRule> rules = new ArrayList<>();

        ChainDraft(String name, Token declared) {
            this.name = name;
            this.declared = declared;
        }
    }
}
