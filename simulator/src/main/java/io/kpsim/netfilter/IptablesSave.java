package io.kpsim.netfilter;

import java.util.List;

/**
 * Renders a {@link Ruleset} as the kernel's {@code iptables-save} prints it with Debian's default
 * {@code iptables}, the nf_tables backend ({@code iptables-nft-save} 1.8.9): the tables in the
 * backend's fixed order mangle, raw, filter, nat ({@code enum nft_table_type} in iptables'
 * {@code nft.c}, whatever order they were created in; checked against the real command by
 * {@code IptablesSaveKernelTest}), tables never touched left out; per table {@code *name}, the
 * built-in chains with policy and counters in hook order, the user chains sorted by name, the
 * rules chain by chain in that order, then {@code COMMIT}. Rules use the save dialect
 * ({@link Rule#saveText()}). The comment lines with a timestamp that real {@code iptables-save}
 * adds are left out, so output is deterministic. ({@code iptables-legacy-save} prints the same
 * blocks in the reverse of the order the tables were created in, which a file does not record.)
 */
public final class IptablesSave {

    private static final Table[] ORDER = {Table.MANGLE, Table.RAW, Table.FILTER, Table.NAT};

    private IptablesSave() {}

    /** The text, tables that were never touched ({@link TableRules#pristine()}) left out. */
    public static String render(Ruleset rules) {
        return render(rules, null);
    }

    /** The text with {@code iptables-save -c} counters, when {@code counters} is not null. */
    public static String render(Ruleset rules, RuleCounters counters) {
        StringBuilder out = new StringBuilder(4096);
        for (Table table : ORDER) {
            TableRules t = rules.table(table);
            if (!t.pristine()) {
                renderTable(out, t, counters);
            }
        }
        return out.toString();
    }

    /** One table's block, from {@code *name} to {@code COMMIT}. */
    public static String renderTable(TableRules t) {
        StringBuilder out = new StringBuilder(1024);
        renderTable(out, t, null);
        return out.toString();
    }

    private static void renderTable(StringBuilder out, TableRules t, RuleCounters counters) {
        Table table = t.table();
        out.append('*').append(table.label()).append('\n');
        List<Chain> ordered = t.chains();
        for (Chain c : ordered) {
            out.append(':').append(c.name()).append(' ');
            if (c.builtin()) {
                out.append(c.policy().name()).append(" [");
                out.append(counters == null ? 0 : counters.policyPackets(table, c.name()))
                        .append(':');
                out.append(counters == null ? 0 : counters.policyBytes(table, c.name()))
                        .append("]\n");
            } else {
                out.append("- [0:0]\n");
            }
        }
        for (Chain c : ordered) {
            for (int i = 0; i < c.rules().size(); i++) {
                if (counters != null) {
                    out.append('[')
                            .append(counters.packets(table, c.name(), i))
                            .append(':')
                            .append(counters.bytes(table, c.name(), i))
                            .append("] ");
                }
                String rule = c.rules().get(i).saveText();
                out.append("-A ")
                        .append(c.name())
                        .append(rule.isEmpty() ? "" : " ")
                        .append(rule)
                        .append('\n');
            }
        }
        out.append("COMMIT\n");
    }
}
