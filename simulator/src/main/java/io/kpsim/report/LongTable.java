package io.kpsim.report;

import java.util.Arrays;

/**
 * An open-addressing map from {@code long} keys (packet ids, packed address-and-port pairs) to
 * objects, for the narration's per-event bookkeeping: a {@code HashMap<Long, V>} boxes every key and
 * allocates a node per entry, which a profile of {@code kpsim run --format json} put at a fifth of
 * the observer's time. Linear probing at load factor 1/2 and backward-shift deletion (no tombstones),
 * as {@code io.kpsim.conntrack.ConnTable} does for conntrack.
 *
 * @param <V> the value type; a {@code null} value marks an empty slot and cannot be stored
 */
final class LongTable<V> {

    private long[] keys;
    private Object[] values;
    private int size;

    LongTable() {
        this(16);
    }

    /** A table with room for {@code capacity} keys before it grows (rounded up to a power of two). */
    LongTable(int capacity) {
        int slots = Integer.highestOneBit(Math.max(8, capacity) * 2 - 1) * 2;
        keys = new long[slots];
        values = new Object[slots];
    }

    /** The value of {@code key}, or {@code null}. */
    @SuppressWarnings("unchecked")
    V get(long key) {
        int mask = keys.length - 1;
        int i = home(key, mask);
        Object v;
        while ((v = values[i]) != null) {
            if (keys[i] == key) {
                return (V) v;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Maps {@code key} to {@code value}, replacing what it was mapped to. */
    void put(long key, V value) {
        if (value == null) {
            throw new IllegalArgumentException("LongTable cannot hold a null value (key " + key + ")");
        }
        if ((size + 1) * 2 > keys.length) {
            resize(keys.length * 2);
        }
        int mask = keys.length - 1;
        int i = home(key, mask);
        while (values[i] != null) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
    }

    /** Removes {@code key}, returning what it was mapped to, or {@code null}. */
    @SuppressWarnings("unchecked")
    V remove(long key) {
        int mask = keys.length - 1;
        int i = home(key, mask);
        Object v;
        while ((v = values[i]) != null) {
            if (keys[i] == key) {
                shiftBack(i, mask);
                size--;
                return (V) v;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    int size() {
        return size;
    }

    /** Closes the gap at {@code hole}: moves later keys of the run back if their home allows it. */
    private void shiftBack(int hole, int mask) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            if (values[i] == null) {
                break;
            }
            int home = home(keys[i], mask);
            // The key at i may fill the hole unless its home lies cyclically in (hole, i].
            boolean stays = hole <= i ? hole < home && home <= i : hole < home || home <= i;
            if (!stays) {
                keys[hole] = keys[i];
                values[hole] = values[i];
                hole = i;
            }
        }
        values[hole] = null;
        keys[hole] = 0;
    }

    private void resize(int slots) {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[slots];
        values = new Object[slots];
        int mask = slots - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldValues[j] != null) {
                int i = home(oldKeys[j], mask);
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
        Arrays.fill(oldValues, null);
    }

    /** Fibonacci hashing: sequential packet ids and packed addresses spread over the slots. */
    private static int home(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
