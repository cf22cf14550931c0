package io.kpsim.netfilter.nftables;

import io.kpsim.fault.UserFault;

/**
 * nftables text kpsim cannot read: one line, {@code FILE:LINE:COLUMN: what}, naming the construct
 * that is wrong or not supported, the way {@code nft -f} reports its own errors. A
 * {@link UserFault}: the text came from the user (a node's {@code nft list ruleset}).
 */
public final class NftTextException extends UserFault {

    private static final long serialVersionUID = 1L;

    /** The problem, already prefixed with its position. */
    public NftTextException(String message) {
        super(message);
    }
}
