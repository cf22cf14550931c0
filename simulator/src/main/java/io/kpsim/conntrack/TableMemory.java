package io.kpsim.conntrack;

/**
 * What a node's conntrack table costs in heap, worked out from how its packed arrays grow, so that a
 * run can be priced before it is built ({@code cluster.Estimator}) with the same arithmetic the
 * table follows. The table starts small and grows on demand, as the kernel's slab cache does: the
 * kernel allocates a {@code struct nf_conn} per entry ({@code __nf_conntrack_alloc()}) and only the
 * bucket array up front ({@code nf_ct_alloc_hashtable()}, {@code nf_conntrack_buckets} heads). kpsim
 * keeps no object per entry; each array doubles when it is full and never shrinks, so the cost is
 * set by the most entries the table ever held. A table built for a scenario's run reserves room for
 * the peak the run is expected to reach ({@link #reservation}), as a table sized for its load has
 * neither empty half nor copies; past a reservation it doubles as before:
 *
 * <ul>
 *   <li>the entries ({@code EntryStore}): {@value #ENTRY_BYTES} bytes per entry of capacity, the
 *       capacity the next power of two at or above the peak (at least {@value #INITIAL_ENTRIES});
 *   <li>the lookup table ({@link TupleIndex}): 8-byte slots, at most half used, two tuplehashes
 *       per entry, so 32 to 64 bytes per entry (24 in a reservation, at most 2/3 used);
 *   <li>the bucket chains ({@code HashChains}): a 4-byte head and a bit per bucket, fixed, and a
 *       4-byte link per tuplehash, grown like the entries.
 * </ul>
 *
 * <p>Sizes assume a 64-bit JVM with compressed class pointers (16-byte array headers, arrays padded
 * to 8 bytes), as {@link ConnTable#memoryBytes()} does.
 */
public final class TableMemory {

    /** Entries a new table has room for before its first growth. */
    static final int INITIAL_ENTRIES = 256;

    /**
     * Bytes per entry of capacity in the entry arrays: the 64-byte hot record (UDP's
     * {@code stream_ts} in it), both tuples (32, the protocol, zone, {@code last_flags} and
     * {@code last_wscale} in their spare bits). The {@code mark} array (4 more) exists only once a
     * rule has set a mark ({@code -j CONNMARK}); the price leaves it out.
     */
    static final int ENTRY_BYTES = EntryLayout.INTS * Integer.BYTES + 4 * Long.BYTES;

    /** The first length of the chains' link arrays ({@code HashChains}). */
    static final int CHAIN_MIN_LINKS = 64;
    /** The first size of the list of killed entries awaiting their free ({@code EntryTable}). */
    static final int DEFERRED_INITIAL = 8;

    private TableMemory() {}

    /**
     * The heap the arrays of one table take once it has held {@code peakEntries} entries at once.
     *
     * @param peakEntries the most entries held at once (confirmed and unconfirmed)
     * @param buckets {@code nf_conntrack_buckets}
     * @return bytes, array headers included
     */
    public static long bytesAtPeak(long peakEntries, long buckets) {
        return bytesAtPeak(peakEntries, 0, buckets);
    }

    /**
     * As {@link #bytesAtPeak(long, long)}, for a table that {@linkplain #reservation reserved} room for
     * {@code reserved} entries when it was built ({@code Conntrack.reserve}): the arrays have exactly
     * that room until the peak passes it, and past it the sizes doubling would have given them.
     *
     * @param reserved entries reserved (0 for none; at most {@link #INITIAL_ENTRIES} reserves nothing)
     */
    public static long bytesAtPeak(long peakEntries, long reserved, long buckets) {
        long first = Math.max(reserved, INITIAL_ENTRIES);
        long capacity = peakEntries <= first ? first : ceilPow2(peakEntries);
        // the hot records are EntryLayout.length(capacity) ints, computed in long: no overflow at any size
        long store = intArray(EntryLayout.LEAD_PAD + capacity * EntryLayout.INTS) + longArray(4 * capacity);
        // the lookup table: 1,024 slots for the first entries, a reservation's at load 2/3 when full
        long firstSlots = reserved > INITIAL_ENTRIES ? 3 * reserved : 4L * INITIAL_ENTRIES;
        long table = longArray(peakEntries <= first ? firstSlots : ceilPow2(4 * peakEntries));
        long firstLinks = reserved > INITIAL_ENTRIES ? 2 * reserved : 0;
        long links = 2 * peakEntries <= firstLinks
                ? firstLinks
                : peakEntries == 0 ? 0 : ceilPow2(Math.max(CHAIN_MIN_LINKS, 2 * peakEntries));
        long chains = intArray(buckets) + longArray((buckets + 63) >>> 6) + intArray(links);
        return store + table + chains + intArray(DEFERRED_INITIAL);
    }

    /**
     * The entries a table built for a run should reserve ({@code Conntrack.reserve}) when the run is
     * expected to hold {@code expectedPeak} at once: that and a sixty-fourth more (the estimate of a
     * download's connections is not exact), at most {@code nf_conntrack_max} ({@code max}, 0 for no
     * limit), and nothing (0) for a peak the first arrays hold anyway.
     */
    public static long reservation(double expectedPeak, long max) {
        long wanted = (long) Math.ceil(expectedPeak + expectedPeak / 64);
        if (max > 0) {
            wanted = Math.min(wanted, max);
        }
        return wanted <= INITIAL_ENTRIES ? 0 : Math.min(wanted, TupleHashRef.MAX_ENTRIES);
    }

    /**
     * The length an array of {@code length} grows to when full: the next power of two above it, which
     * is twice it for the power-of-two lengths tables start with, and for a reserved length that is
     * not one, the size doubling would have reached.
     */
    static long grown(long length) {
        return ceilPow2(length + 1);
    }

    static long ceilPow2(long n) {
        return n <= 1 ? 1 : Long.highestOneBit(n - 1) << 1;
    }

    static long intArray(long length) {
        return align(ConnTable.ARRAY_HEADER_BYTES + 4 * length);
    }

    static long longArray(long length) {
        return ConnTable.ARRAY_HEADER_BYTES + 8 * length;
    }

    static long byteArray(long length) {
        return align(ConnTable.ARRAY_HEADER_BYTES + length);
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
