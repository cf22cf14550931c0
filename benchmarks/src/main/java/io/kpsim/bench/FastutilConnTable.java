package io.kpsim.bench;

import io.kpsim.conntrack.ConnTable;
import io.kpsim.conntrack.TupleHash;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Baseline: fastutil used as well as it fits a 104-bit key. A primitive map cannot hold the whole
 * tuple, so a {@link Long2IntOpenHashMap} (open addressing, linear probing, backward-shift
 * deletion, primitive {@code long[]} keys and {@code int[]} values) maps the tuple's seeded 64-bit
 * hash to a row of a dense {@code long[]} that holds the full key and the value, and every hit
 * verifies the full key there. Two different tuples with the same 64-bit hash (about one chance in
 * 10^7 at two million keys) are handled exactly: the later one goes to a small overflow map.
 *
 * <p>A hit touches fastutil's key array, its value array and the dense row: three independent
 * cache lines instead of one, which is the cost of not controlling the layout.
 */
final class FastutilConnTable {

    private record FullKey(long keyHigh, long keyLow) {}

    private static final int ROW = 3; // keyHigh, keyLow, value

    private final Long2IntOpenHashMap index;
    private final Map<FullKey, Integer> overflow = new HashMap<>();
    private final long seedHigh;
    private final long seedLow;
    private long[] rows;
    private int[] freeRows;
    private int freeCount;
    private int rowsUsed;

    FastutilConnTable(int connections, long seed) {
        int keys = Math.max(16, 2 * connections);
        index = new Long2IntOpenHashMap(keys);
        index.defaultReturnValue(-1);
        rows = new long[keys * ROW];
        freeRows = new int[16];
        SplittableRandom secret = new SplittableRandom(seed);
        seedHigh = secret.nextLong();
        seedLow = secret.nextLong();
    }

    /**
     * Invariant: a key in {@code overflow} always has its fingerprint in {@code index}, so a
     * fingerprint miss is a definite miss.
     */
    int get(long keyHigh, long keyLow) {
        int row = index.get(TupleHash.hash(keyHigh, keyLow, seedHigh, seedLow));
        if (row < 0) {
            return ConnTable.NOT_FOUND;
        }
        int at = row * ROW;
        if (rows[at] == keyHigh && rows[at + 1] == keyLow) {
            return (int) rows[at + 2];
        }
        return overflow.isEmpty() ? ConnTable.NOT_FOUND : overflow.getOrDefault(new FullKey(keyHigh, keyLow), -1);
    }

    boolean putIfAbsent(long keyHigh, long keyLow, int value) {
        long fingerprint = TupleHash.hash(keyHigh, keyLow, seedHigh, seedLow);
        int existing = index.get(fingerprint);
        if (existing >= 0) {
            if (rows[existing * ROW] == keyHigh && rows[existing * ROW + 1] == keyLow) {
                return false;
            }
            return overflow.putIfAbsent(new FullKey(keyHigh, keyLow), value) == null;
        }
        int row = freeCount > 0 ? freeRows[--freeCount] : rowsUsed++;
        if ((row + 1) * ROW > rows.length) {
            rows = Arrays.copyOf(rows, rows.length * 2);
        }
        rows[row * ROW] = keyHigh;
        rows[row * ROW + 1] = keyLow;
        rows[row * ROW + 2] = value;
        index.put(fingerprint, row);
        return true;
    }

    int remove(long keyHigh, long keyLow) {
        long fingerprint = TupleHash.hash(keyHigh, keyLow, seedHigh, seedLow);
        int row = index.get(fingerprint);
        if (row < 0) {
            return ConnTable.NOT_FOUND;
        }
        if (rows[row * ROW] == keyHigh && rows[row * ROW + 1] == keyLow) {
            int value = (int) rows[row * ROW + 2];
            index.remove(fingerprint);
            if (freeCount == freeRows.length) {
                freeRows = Arrays.copyOf(freeRows, freeRows.length * 2);
            }
            freeRows[freeCount++] = row;
            promoteOverflow(fingerprint);
            return value;
        }
        Integer value = overflow.isEmpty() ? null : overflow.remove(new FullKey(keyHigh, keyLow));
        return value == null ? ConnTable.NOT_FOUND : value;
    }

    /** After the indexed key of a fingerprint leaves, an overflow key with that fingerprint takes its place. */
    private void promoteOverflow(long fingerprint) {
        if (overflow.isEmpty()) {
            return;
        }
        FullKey promoted = null;
        for (FullKey k : overflow.keySet()) {
            if (TupleHash.hash(k.keyHigh(), k.keyLow(), seedHigh, seedLow) == fingerprint
                    && (promoted == null
                            || k.keyHigh() < promoted.keyHigh()
                            || (k.keyHigh() == promoted.keyHigh() && k.keyLow() < promoted.keyLow()))) {
                promoted = k; // smallest key wins, so the choice does not depend on HashMap order
            }
        }
        if (promoted != null) {
            int value = overflow.remove(promoted);
            putIfAbsent(promoted.keyHigh(), promoted.keyLow(), value);
        }
    }
}
