package io.kpsim.netfilter.nftables;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A table while {@link NftParser} reads it: its sets and chains as declared so far, in order; a
 * set declared again merges its elements (as {@code nft -f} does), and {@link #build} makes the
 * {@link NftTable}, marking the sets rules update as dynamic.
 */
final class TableDraft {
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
