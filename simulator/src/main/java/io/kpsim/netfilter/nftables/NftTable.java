package io.kpsim.netfilter.nftables;

import java.util.List;

/**
 * A table: its family and name, its comment, its sets and maps and its chains, each in the order
 * they were created (the order {@code nft list} prints them in).
 *
 * @param family ip, ip6 or inet
 * @param name the table's name
 * @param comment the table comment, or {@code null}
 * @param sets the named sets and maps
 * @param chains the chains
 */
public record NftTable(NftFamily family, String name, String comment, List<NftSet> sets, List<NftChain> chains) {

    /** Copies the lists. */
    public NftTable {
        sets = List.copyOf(sets);
        chains = List.copyOf(chains);
    }

    /** The set or map named {@code setName}, or {@code null}. */
    public NftSet set(String setName) {
        for (NftSet s : sets) {
            if (s.name().equals(setName)) {
                return s;
            }
        }
        return null;
    }

    /** The chain named {@code chainName}, or {@code null}. */
    public NftChain chain(String chainName) {
        for (NftChain c : chains) {
            if (c.name().equals(chainName)) {
                return c;
            }
        }
        return null;
    }

    /** E.g. {@code ip kube-proxy}. */
    public String label() {
        return family.keyword() + " " + name;
    }
}
