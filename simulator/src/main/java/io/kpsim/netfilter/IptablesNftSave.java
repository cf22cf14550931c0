package io.kpsim.netfilter;

/**
 * {@code iptables-save} as Debian's default {@code iptables} (the nf_tables backend,
 * {@code iptables-nft-save} 1.8.9) prints a whole ruleset: the tables in the backend's fixed order
 * mangle, (security,) raw, filter, nat ({@code enum nft_table_type} in iptables' {@code nft.c};
 * observed for every input order), each as {@link IptablesSave#renderTable}, tables never touched
 * left out, no comment lines. {@code iptables-legacy-save} prints the same table blocks in the
 * reverse of the order the tables were created in, which a file does not record.
 */
public final class IptablesNftSave {

    private static final Table[] ORDER = {Table.MANGLE, Table.RAW, Table.FILTER, Table.NAT};

    private IptablesNftSave() {}

    /** The text the kernel's {@code iptables-save} prints for {@code rules}, comment lines aside. */
    public static String render(Ruleset rules) {
        StringBuilder out = new StringBuilder(4096);
        for (Table t : ORDER) {
            TableRules table = rules.table(t);
            if (!table.pristine()) {
                out.append(IptablesSave.renderTable(table));
            }
        }
        return out.toString();
    }
}
