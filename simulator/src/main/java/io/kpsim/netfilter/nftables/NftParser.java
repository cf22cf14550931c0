package io.kpsim.netfilter.nftables;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    private final BaseChainParser baseChains;
    private final SetParser sets;

    private NftParser(String file, String text) {
        this.in = new Cursor(file, NftLexer.tokens(file, text));
        this.baseChains = new BaseChainParser(in);
        this.sets = new SetParser(in, positions);
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
                table.addSet(sets.setBody(n, t.is("map"), t), t, in, positions);
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
                chain.base = baseChains.baseChain(chain.base);
            } else if (t.is("policy")) {
                in.next();
                Token p = in.word("accept or drop");
                if (chain.base == null) {
                    throw in.error(t, "only a base chain has a policy (give 'type ... hook ... priority ...' first)");
                }
                chain.base = new BaseChain(
                        chain.base.type(), chain.base.hook(), chain.base.priority(), baseChains.policy(p));
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
                NftSet declared = sets.setBody(n, o.equals("map"), object);
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
                t.sets.put(s.name(), s.withElements(sets.checkedElements(s, all, brace)));
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
}
