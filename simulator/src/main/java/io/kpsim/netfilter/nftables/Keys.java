package io.kpsim.netfilter.nftables;

/** Orderings of loaded values. */
final class Keys {

    private Keys() {}

    /**
     * Numeric order of two values of {@code type}: network-order bytes compare from the first
     * ({@code memcmp}), host-order ones from the last (nft converts a host-order range's bounds
     * and the loaded value to network order with a {@code byteorder} expression first).
     */
    static int numericCompare(DataType type, Datum a, Datum b) {
        return type.hostOrder() ? a.compareFromLast(b) : a.compareTo(b);
    }
}
