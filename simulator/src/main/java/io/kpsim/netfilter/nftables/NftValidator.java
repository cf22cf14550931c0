package io.kpsim.netfilter.nftables;

import io.kpsim.netfilter.Hook;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks {@code nft} and the kernel make when a ruleset is loaded, so that kpsim refuses what
 * they refuse: every {@code jump}/{@code goto} target and {@code @set} exists in the table (a
 * base chain cannot be jumped to), a lookup's key has the set's type, a verdict map holds
 * verdicts, no chain reaches itself ({@code ELOOP}) or nests jumps deeper than 16
 * ({@code EMLINK}), and statements only run where the kernel allows them
 * ({@code nft_chain_validate_hooks()}): DNAT in nat chains at PREROUTING and OUTPUT, SNAT at
 * POSTROUTING and INPUT, masquerade at POSTROUTING, reject anywhere but POSTROUTING.
 */
final class NftValidator {

    private final Map<Object, Token> positions;
    private final Cursor in;

    private NftValidator(Map<Object, Token> positions, Cursor in) {
        this.positions = positions;
        this.in = in;
    }

    /**
     * Checks a ruleset built in code.
     *
     * @throws IllegalArgumentException for the first problem
     */
    static void check(NftRuleset ruleset) {
        new NftValidator(null, null).all(ruleset);
    }

    /**
     * Checks a parsed ruleset, reporting at the statement's position.
     *
     * @throws NftTextException for the first problem
     */
    static void check(NftRuleset ruleset, Map<Object, Token> positions, Cursor in) {
        new NftValidator(positions, in).all(ruleset);
    }

    private RuntimeException error(Object at, String message) {
        Token t = positions == null ? null : positions.get(at);
        if (t == null) {
            return in == null
                    ? new IllegalArgumentException(message)
                    : new NftTextException(in.file() + ": " + message);
        }
        return in.error(t, message);
    }

    private void all(NftRuleset ruleset) {
        for (NftTable t : ruleset.tables()) {
            table(t);
        }
    }

    private void table(NftTable t) {
        Map<String, NftChain> chains = new HashMap<>();
        for (NftChain c : t.chains()) {
            chains.put(c.name(), c);
        }
        for (NftChain c : t.chains()) {
            for (NftRule r : c.rules()) {
                for (Statement s : r.statements()) {
                    references(t, chains, c, r, s);
                }
            }
        }
        for (NftChain c : t.chains()) {
            depth(t, chains, c, new ArrayList<>());
        }
        for (NftChain c : t.chains()) {
            if (c.isBase()) {
                hooks(t, chains, c.base().hook(), c.base().type(), c, new ArrayList<>());
            }
        }
    }

    private void references(NftTable t, Map<String, NftChain> chains, NftChain c, NftRule r, Statement s) {
        if (s instanceof VerdictStmt v) {
            target(chains, v.verdict(), s);
        } else if (s instanceof VmapStmt v) {
            NftSet map = set(t, v.map(), s, v.key().type());
            if (!map.isVerdictMap()) {
                throw error(s, "'" + map.name() + "' is not a verdict map");
            }
            for (SetElement e : map.elements()) {
                target(chains, e.verdict(), s);
            }
        } else if (s instanceof MatchStmt m && m.right() instanceof Rhs.Lookup l) {
            NftSet set = set(t, l.set(), s, m.left().type());
            if (set.isMap()) {
                throw error(s, "'" + set.name() + "' is a map; a match looks up a set");
            }
        } else if (s instanceof NatStmt n && n.map() != null) {
            NftSet map = set(t, n.map(), s, n.mapKey().type());
            if (!map.isMap() || !map.data().equals(KeyType.of(n.addressType()))) {
                throw error(
                        s,
                        "'" + (map.name() == null ? "{ ... }" : map.name()) + "' does not map to "
                                + n.addressType().keyword() + " addresses");
            }
        } else if (s instanceof SetUpdateStmt u) {
            NftSet set = t.set(u.set());
            if (set == null) {
                throw error(s, "no set " + u.set() + " in table " + t.label());
            }
            if (set.isMap() || set.isInterval()) {
                throw error(
                        s,
                        "set " + u.set() + " cannot be updated from a rule (it is "
                                + (set.isMap() ? "a map" : "an interval set") + ")");
            }
            if (!set.key().equals(u.key().type())) {
                throw error(
                        s,
                        "datatype mismatch: set " + u.set() + " has type " + set.key() + ", '"
                                + u.key().text() + "' is " + u.key().type());
            }
        }
    }

    private NftSet set(NftTable t, SetRef ref, Statement s, KeyType key) {
        NftSet set = ref.anonymous() != null ? ref.anonymous() : t.set(ref.name());
        if (set == null) {
            throw error(s, "no set " + ref.name() + " in table " + t.label());
        }
        if (!set.key().equals(key)) {
            throw error(
                    s,
                    "datatype mismatch: " + (set.name() == null ? "the set" : "set " + set.name()) + " has type "
                            + set.key() + ", the expression is " + key);
        }
        return set;
    }

    private void target(Map<String, NftChain> chains, Verdict v, Statement s) {
        if (v == null || v.chain() == null) {
            return;
        }
        NftChain c = chains.get(v.chain());
        if (c == null) {
            throw error(s, "no chain " + v.chain() + " to " + (v.kind() == Verdict.Kind.JUMP ? "jump" : "go") + " to");
        }
        if (c.isBase()) {
            throw error(
                    s,
                    "cannot " + (v.kind() == Verdict.Kind.JUMP ? "jump" : "go") + " to base chain " + v.chain()
                            + " (the kernel refuses it: Operation not supported)");
        }
    }

    /** The chains {@code c} jumps or goes to, each with the statement that does. */
    private static List<Object[]> successors(Map<String, NftChain> chains, NftTable t, NftChain c) {
        List<Object[]> out = new ArrayList<>();
        for (NftRule r : c.rules()) {
            for (Statement s : r.statements()) {
                if (s instanceof VerdictStmt v && v.verdict().chain() != null) {
                    out.add(new Object[] {chains.get(v.verdict().chain()), s});
                } else if (s instanceof VmapStmt v) {
                    NftSet map = v.map().anonymous() != null
                            ? v.map().anonymous()
                            : t.set(v.map().name());
                    for (SetElement e : map.elements()) {
                        if (e.verdict() != null && e.verdict().chain() != null) {
                            out.add(new Object[] {chains.get(e.verdict().chain()), s});
                        }
                    }
                }
            }
        }
        return out;
    }

    private void depth(NftTable t, Map<String, NftChain> chains, NftChain c, List<NftChain> path) {
        if (path.contains(c)) {
            throw new IllegalStateException("unreachable: loops are found before");
        }
        path.add(c);
        for (Object[] next : successors(chains, t, c)) {
            NftChain n = (NftChain) next[0];
            if (path.contains(n)) {
                throw error(
                        next[1],
                        "loop detected: chain " + n.name() + " is reached again through " + names(path)
                                + " (the kernel refuses it: Too many levels of symbolic links)");
            }
            if (path.size() >= BaseChainProgram.JUMP_STACK_SIZE) {
                throw error(
                        next[1],
                        "jumps nested deeper than " + BaseChainProgram.JUMP_STACK_SIZE
                                + " chains (the kernel refuses it: Too many links)");
            }
            depth(t, chains, n, path);
        }
        path.remove(path.size() - 1);
    }

    private static String names(List<NftChain> path) {
        StringBuilder s = new StringBuilder();
        for (NftChain c : path) {
            s.append(s.length() == 0 ? "" : " -> ").append(c.name());
        }
        return s.toString();
    }

    private void hooks(
            NftTable t, Map<String, NftChain> chains, Hook hook, ChainType type, NftChain c, List<NftChain> seen) {
        if (seen.contains(c)) {
            return;
        }
        seen.add(c);
        for (NftRule r : c.rules()) {
            for (Statement s : r.statements()) {
                String where = "in " + (c.isBase() ? "base chain " : "chain ") + c.name() + " (reached from a "
                        + type.keyword() + " chain at " + BaseChain.hookName(hook) + ")";
                if (s instanceof NatStmt n) {
                    boolean ok = type == ChainType.NAT
                            && (n.source()
                                    ? hook == Hook.POSTROUTING || hook == Hook.INPUT
                                    : hook == Hook.PREROUTING || hook == Hook.OUTPUT);
                    if (!ok) {
                        throw error(
                                s,
                                (n.source() ? "snat" : "dnat") + " is not allowed " + where
                                        + " (the kernel refuses it: Operation not supported)");
                    }
                } else if (s instanceof MasqueradeStmt) {
                    if (type != ChainType.NAT || hook != Hook.POSTROUTING) {
                        throw error(
                                s,
                                "masquerade is not allowed " + where
                                        + " (the kernel refuses it: Operation not supported)");
                    }
                } else if (s instanceof RejectStmt && hook == Hook.POSTROUTING) {
                    throw error(
                            s, "reject is not allowed " + where + " (the kernel refuses it: Operation not supported)");
                }
            }
        }
        for (Object[] next : successors(chains, t, c)) {
            hooks(t, chains, hook, type, (NftChain) next[0], seen);
        }
    }
}
