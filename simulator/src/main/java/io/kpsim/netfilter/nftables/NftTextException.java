package io.kpsim.netfilter.nftables;

/**
 * nftables text kpsim cannot read: one line, {@code FILE:LINE:COLUMN: what}, naming the construct
 * that is wrong or not supported, the way {@code nft -f} reports its own errors.
 */
public final class NftTextException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The problem, already prefixed with its position. */
    public NftTextException(String message) {
        super(message);
    }
}
