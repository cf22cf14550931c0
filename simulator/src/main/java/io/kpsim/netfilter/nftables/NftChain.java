package io.kpsim.netfilter.nftables;

import java.util.List;

/**
 * A chain of a table: a base chain (registered at a hook) or a regular chain (reached by
 * {@code jump}, {@code goto} or a verdict map).
 *
 * @param name the chain's name
 * @param base what makes it a base chain, or {@code null} for a regular chain
 * @param comment the chain comment, or {@code null}
 * @param rules its rules in order
 */
public record NftChain(String name, BaseChain base, String comment, List<NftRule> rules) {

    /** Copies the rules. */
    public NftChain {
        rules = List.copyOf(rules);
    }

    /** Whether it is a base chain. */
    public boolean isBase() {
        return base != null;
    }

    /** This chain with other rules. */
    public NftChain withRules(List<NftRule> newRules) {
        return new NftChain(name, base, comment, newRules);
    }
}
