package io.kpsim.conntrack;

/**
 * {@code early_drop()} of {@code nf_conntrack_core.c}: when {@code nf_conntrack_max} is reached,
 * scan {@code NF_CT_EVICTION_RANGE} (8) buckets starting at the new tuple's hash and evict a
 * conntrack that is not ASSURED; expired ones met on the way are reaped as the kernel's lookups
 * do. ASSURED entries are never evicted here, which is what makes a table full of established
 * connections drop new ones ("nf_conntrack: table full, dropping packet").
 */
final class EarlyDrop {

    /** {@code NF_CT_EVICTION_RANGE}. */
    static final int EVICTION_RANGE = 8;

    private final int[] neighbours = new int[EVICTION_RANGE];

    /**
     * Tries to make room for a tuple hashing like {@code (keyHigh, keyLow)}.
     *
     * @return true when an entry was evicted
     */
    boolean run(EntryTable t, long keyHigh, long keyLow, long now) {
        int n = t.table.neighbours(keyHigh, keyLow, EVICTION_RANGE, neighbours);
        for (int i = 0; i < n; i++) {
            int e = TupleHashRef.entry(neighbours[i]);
            if (!t.alive(e)) {
                continue;
            }
            if (t.expired(e, now)) {
                t.kill(e);
                continue;
            }
            int status = t.store.status(e);
            if ((status & Status.ASSURED) != 0 || (status & Status.CONFIRMED) == 0) {
                continue;
            }
            t.kill(e);
            t.counters.earlyDrop++;
            return true;
        }
        return false;
    }
}
