package io.kpsim.netfilter.nftables;

import io.kpsim.netfilter.Hook;

/**
 * The type of a base chain ({@code nft_chain_filter}, {@code nft_chain_nat},
 * {@code nft_chain_route}): {@code filter} at any hook; {@code nat} at PREROUTING, INPUT, OUTPUT
 * and POSTROUTING, run from the NAT core for the first packet of a connection; {@code route} at
 * OUTPUT, a filter chain that re-routes a packet whose mark or addresses it changed.
 */
public enum ChainType {
    /** {@code filter}. */
    FILTER("filter"),
    /** {@code nat}. */
    NAT("nat"),
    /** {@code route}. */
    ROUTE("route");

    private final String keyword;

    ChainType(String keyword) {
        this.keyword = keyword;
    }

    /** As written after {@code type}. */
    public String keyword() {
        return keyword;
    }

    /** Whether the kernel accepts a chain of this type at {@code hook} ({@code nft_chain_validate_hooks}). */
    public boolean allows(Hook hook) {
        return switch (this) {
            case FILTER -> true;
            case NAT -> hook != Hook.FORWARD;
            case ROUTE -> hook == Hook.OUTPUT;
        };
    }

    /** The type named {@code keyword}, or {@code null}. */
    static ChainType byKeyword(String keyword) {
        for (ChainType t : values()) {
            if (t.keyword.equals(keyword)) {
                return t;
            }
        }
        return null;
    }
}
