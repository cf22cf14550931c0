package io.kpsim.conntrack;

import java.util.Arrays;

/**
 * The lookup tables of the conntrack zones ({@code CT --zone}): the default zone's, and one per
 * other zone, made when a packet first uses it. The kernel keeps all zones in one hash table,
 * mixing the zone id into the hash key ({@code hash_conntrack_raw()}: {@code key.key[0] ^= zoneid})
 * and comparing it on lookup ({@code nf_ct_zone_equal()} in {@code nf_ct_key_equal()}; read in
 * {@code NVIDIA/NV-Kernels} {@code 106335dab7} {@code net/netfilter/nf_conntrack_core.c}, a 6.x
 * tree); a table per zone, its secret drawn from the seed and the zone id, gives the same answers
 * and keeps the default zone's slots as they are. The zone id went back into the hash in 5.15
 * (commit {@code b16ac3c4c886}, "include zone id in tuple hash again", with the random chain
 * limit); the kernels before it only compared the zone, so there the same tuples of two zones
 * shared a bucket: that changes which bucket early drop and the chain limit count, never which
 * entry a lookup finds, and kpsim's buckets mix the zone for every release.
 */
final class ZoneTables {

    /** Connections a zone's own table is first sized for (it grows). */
    private static final int ZONE_INITIAL = 1024;

    private final TupleIndex defaultZone;
    private final long seed;
    private final EntryStore store;
    /** The tables of the zones other than the default one. */
    private TupleIndex[] tables = new TupleIndex[0];
    /** {@link #tables}' zone ids, ascending. */
    private int[] ids = new int[0];

    ZoneTables(TupleIndex defaultZone, long seed, EntryStore store) {
        this.defaultZone = defaultZone;
        this.seed = seed;
        this.store = store;
    }

    /**
     * The table of conntrack zone {@code zone}: the default zone's, or the zone's own, made on
     * first use when {@code create}, else {@code null}.
     */
    TupleIndex table(int zone, boolean create) {
        if (zone == 0) {
            return defaultZone;
        }
        int i = Arrays.binarySearch(ids, zone);
        if (i >= 0) {
            return tables[i];
        }
        if (!create) {
            return null;
        }
        int at = -i - 1;
        int n = ids.length;
        int[] newIds = new int[n + 1];
        TupleIndex[] newTables = new TupleIndex[n + 1];
        System.arraycopy(ids, 0, newIds, 0, at);
        System.arraycopy(tables, 0, newTables, 0, at);
        System.arraycopy(ids, at, newIds, at + 1, n - at);
        System.arraycopy(tables, at, newTables, at + 1, n - at);
        newIds[at] = zone;
        newTables[at] = new TupleIndex(ZONE_INITIAL, seed ^ ((long) zone << 32 | zone), store);
        ids = newIds;
        tables = newTables;
        return newTables[at];
    }

    /** Bytes of the tables of the zones other than the default one, and of their index. */
    long otherZonesHeapBytes() {
        long bytes = ids.length == 0 ? 0 : TableMemory.intArray(ids.length);
        for (TupleIndex t : tables) {
            bytes += t.memoryBytes();
        }
        return bytes;
    }
}
