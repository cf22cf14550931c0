package io.kpsim.netfilter;

import java.util.EnumMap;
import java.util.Map;

/**
 * A node's whole iptables configuration: the four tables. Immutable; what
 * {@code iptables-restore} loads and {@code iptables-save} prints ({@link IptablesSave},
 * {@link IptablesRestore}). The datapath compiles it for evaluation.
 */
public final class Ruleset {

    private final Map<Table, TableRules> tables;

    private Ruleset(Map<Table, TableRules> tables) {
        this.tables = tables;
    }

    /** Every table with empty ACCEPT built-in chains: a node without any rules. */
    public static Ruleset empty() {
        Map<Table, TableRules> m = new EnumMap<>(Table.class);
        for (Table t : Table.values()) {
            m.put(t, TableRules.empty(t));
        }
        return new Ruleset(m);
    }

    /** The rules of one table. */
    public TableRules table(Table table) {
        return tables.get(table);
    }

    /** This ruleset with one table replaced (as {@code iptables-restore} replaces a table on COMMIT). */
    public Ruleset with(TableRules rules) {
        Map<Table, TableRules> m = new EnumMap<>(tables);
        m.put(rules.table(), rules);
        return new Ruleset(m);
    }

    /** This ruleset with {@code chain} added to or replaced in {@code table}. */
    public Ruleset with(Table table, Chain chain) {
        return with(tables.get(table).with(chain));
    }

    /** The kernel's {@code iptables-save} text. */
    public String save() {
        return IptablesSave.render(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ruleset r && r.tables.equals(tables);
    }

    @Override
    public int hashCode() {
        return tables.hashCode();
    }

    @Override
    public String toString() {
        return save();
    }
}
