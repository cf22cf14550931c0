package io.kpsim.replay;

import java.util.Arrays;

/**
 * An open-addressing map from {@code long} keys to objects, for {@link CopyMatcher}'s indexes of
 * the records that wait for their copies: it looks up and inserts a key for every replayed record,
 * and a {@code HashMap<Long, Arrival>} there boxed every key and allocated a node per entry (a
 * fifth of the tracking thread's time in a JFR profile of a one-million-packet replay). Linear
 * probing at load factor at most 1/2, backward-shift deletion (no tombstones), as
 * {@code io.kpsim.conntrack.ConnTable} does for conntrack; {@link #remove(long, Object)} removes a
 * key only while it still maps to the given value, which is how a record leaving the queue takes
 * itself out of an index without disturbing a newer record under the same key.
 *
 * @param <V> the value type; {@code null} marks an empty slot and cannot be stored
 */
final class KeyTable<V> {

    private long[] keys;
    private Object[] values;
    private int size;

    /** A table with room for {@code capacity} keys before it first grows. */
    KeyTable(int capacity) {
        int slots = Integer.highestOneBit(Math.max(8, capacity) * 2 - 1) * 2;
        keys = new long[slots];
        values = new Object[slots];
    }

    /** The value of {@code key}, or {@code null}. */
    @SuppressWarnings("unchecked")
    V get(long key) {
        int mask = keys.length - 1;
        for (int i = home(key, mask); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return (V) values[i];
            }
        }
        return null;
    }

    /** Whether {@code key} has a value. */
    boolean contains(long key) {
        return get(key) != null;
    }

    /**
     * Maps {@code key} to {@code value}.
     *
     * @return the value it replaced, or {@code null}
     */
    @SuppressWarnings("unchecked")
    V put(long key, V value) {
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
    V remove(long key) {
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
    void remove(long key, V value) {
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

    int size() {
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

    /** The keys are already mixed ({@link CopyMatcher}'s keys are hashes); one multiply spreads the high bits. */
    private static int home(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & mask;
    }
}
