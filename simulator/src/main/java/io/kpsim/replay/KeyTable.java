package io.kpsim.replay;

import java.util.Arrays;

/**
 * An open-addressing map from {@code long} keys to objects, for the per-packet bookkeeping of
 * replay ({@link CopyMatcher}'s indexes of the records that wait for their copies) and of the
 * narration (packet ids and packed address-and-port pairs in {@code io.kpsim.report}): a
 * {@code HashMap<Long, V>} boxes every key and allocates a node per entry, which JFR profiles of a
 * one-million-packet replay and of {@code kpsim run --format json} each put at a fifth of that
 * thread's time. Linear probing at load factor at most 1/2, backward-shift deletion (no tombstones),
 * as {@code io.kpsim.conntrack.ConnTable} does for conntrack; {@link #remove(long, Object)} removes a
 * key only while it still maps to the given value, which is how a record leaving the queue takes
 * itself out of an index without disturbing a newer record under the same key.
 *
 * @param <V> the value type; {@code null} marks an empty slot and cannot be stored
 */
public final class KeyTable<V> {

    private long[] keys;
    private Object[] values;
    private int size;

    /** A table with room for {@code capacity} keys before it first grows. */
    public KeyTable(int capacity) {
        int slots = Integer.highestOneBit(Math.max(8, capacity) * 2 - 1) * 2;
        keys = new long[slots];
        values = new Object[slots];
    }

    /** The value of {@code key}, or {@code null}. */
    @SuppressWarnings("unchecked")
    public V get(long key) {
        int mask = keys.length - 1;
        for (int i = home(key, mask); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return (V) values[i];
            }
        }
        return null;
    }

    /** Whether {@code key} has a value. */
    public boolean contains(long key) {
        return get(key) != null;
    }

    /**
     * Maps {@code key} to {@code value}.
     *
     * @return the value it replaced, or {@code null}
     */
    @SuppressWarnings("unchecked")
    public V put(long key, V value) {
        if (value == null) {
            throw new IllegalArgumentException("a KeyTable cannot hold a null value (key " + key + ")");
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = home(key, mask);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                Object old = values[i];
                values[i] = value;
                return (V) old;
            }
        }
        keys[i] = key;
        values[i] = value;
        size++;
        return null;
    }

    /** Removes {@code key}; returns what it mapped to, or {@code null}. */
    @SuppressWarnings("unchecked")
    public V remove(long key) {
        int mask = keys.length - 1;
        for (int i = home(key, mask); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                Object old = values[i];
                close(i, mask);
                return (V) old;
            }
        }
        return null;
    }

    /** Removes {@code key} if it maps to {@code value} (compared by identity). */
    public void remove(long key, V value) {
        int mask = keys.length - 1;
        for (int i = home(key, mask); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                if (values[i] == value) {
                    close(i, mask);
                }
                return;
            }
        }
    }

    /** The number of keys held. */
    public int size() {
        return size;
    }

    /** Empties the slot at {@code hole} and moves later keys of its run back where their home allows. */
    private void close(int hole, int mask) {
        size--;
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            if (values[i] == null) {
                break;
            }
            int home = home(keys[i], mask);
            // The key at i may move to the hole unless its home lies cyclically in (hole, i].
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

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        int mask = keys.length - 1;
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

    /** Fibonacci hashing: sequential packet ids, packed addresses and hashes alike spread over the slots. */
    private static int home(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
