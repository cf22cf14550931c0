package io.kpsim.netfilter.nftables;

import java.util.List;

/**
 * A node's whole nftables configuration, as {@code nft list ruleset} prints it: its tables in the
 * order they were created. Immutable; {@link NftParser} reads it, {@link NftPrinter} prints it,
 * {@link NftEngine} runs it.
 *
 * @param tables the tables
 */
public record NftRuleset(List<NftTable> tables) {

    /** Copies the list. */
    public NftRuleset {
        tables = List.copyOf(tables);
    }

    /** A ruleset without tables. */
    public static NftRuleset empty() {
        return new NftRuleset(List.of());
    }

    /** The table {@code family name}, or {@code null}. */
    public NftTable table(NftFamily family, String name) {
        for (NftTable t : tables) {
            if (t.family() == family && t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** {@code nft list ruleset}'s text. */
    @Override
    public String toString() {
        return NftPrinter.print(this);
    }
}
