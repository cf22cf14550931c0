package io.kpsim.netfilter.ipset;

/**
 * The options after an element in {@code ipset save} ({@code timeout}, {@code nomatch}; counters,
 * comments and skb extensions are read and not needed for a test).
 *
 * @param expiresAt when the element expires on the simulation clock in seconds, or {@link Long#MAX_VALUE}
 * @param nomatch the element is a {@code nomatch} exception
 */
record ElementOptions(long expiresAt, boolean nomatch) {

    /** Whether the element is still there at {@code now}. */
    boolean alive(long nowSeconds) {
        return nowSeconds < expiresAt;
    }
}
