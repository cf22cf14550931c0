package io.kpsim.conntrack;

import java.util.SplittableRandom;

/**
 * A node's lookup table of tuplehashes, in 8-byte slots: each slot holds a {@link TupleHashRef} and
 * a fragment of its tuple's hash, and the tuple itself is compared where the entry keeps it
 * ({@link EntryStore#keyHigh}, {@link EntryStore#keyLow}), as the kernel's
 * {@code ____nf_conntrack_find()} compares {@code nf_ct_tuple_equal(tuple, &h->tuple)} in the
 * {@code struct nf_conntrack_tuple_hash} it reached through the bucket. {@link ConnTable} keeps the
 * whole key in a 16-byte slot instead; this table halves that (32 to 64 bytes per entry at load
 * 1/2, two tuplehashes per entry) and the key compare costs nothing extra on a hit, since the
 * packet's walk reads the entry's tuples anyway.
 *
 * <pre>
 *   one slot, a long, most significant bit first
 *    6                   4 4
 *    3                   0 9                                       0
 *   +---------------------+-----------------------------------------+
 *   |  ref + 1 (24 bits)  |  hash, bits 63..24 (the fragment)       |
 *   +---------------------+-----------------------------------------+
 * </pre>
 *
 * An all-zero slot is empty. The fragment holds the hash's top bits, so the home slot (the top
 * {@code log2(capacity)} bits, at most 29) is read back from the slot: growing and the backward
 * shift of a removal never hash a key again and never read the entry. Only a slot whose fragment
 * matches sends the probe to the entry; a miss almost never leaves the table's cache lines.
 *
 * <p>Open addressing with linear probing, capacity a power of two, grown by doubling past load 1/2,
 * removal by backward shift (no tombstones), batch lookups that touch every home slot first:
 * as {@link ConnTable}, whose hash and per-table secret it shares ({@link TupleHash}, the same two
 * longs drawn from the seed), so {@link #hash32} gives the kernel's bucket chains the same buckets.
 * Allocation-free but for growth. Not thread-safe: the simulator is single-threaded.
 */
final class TupleIndex {

    private static final int VALUE_SHIFT = 40;
    private static final long FRAGMENT_MASK = (1L << VALUE_SHIFT) - 1;
    /** The hash's bits below the fragment. */
    private static final int FRAGMENT_DROP = 64 - VALUE_SHIFT;

    private static final long EMPTY = 0L;
    private static final int MIN_CAPACITY = 16;
    private static final int MAX_CAPACITY = 1 << 29;
    private static final int BATCH_WINDOW = 64;

    private final EntryStore store;
    private final long seedHigh;
    private final long seedLow;
    private long[] slots;
    private int mask;
    /** {@code log2(capacity)}. */
    private int bits;

    private int size;
    /** Sink for the batch "touch" loads, so the JIT cannot drop them as dead. */
    private long batchTouch;
    /** {@link #touchBatch}'s hashes of one window of keys. */
    private final long[] batchHashes = new long[BATCH_WINDOW];

    /**
     * An empty table sized so that {@code initialConnections} entries (two tuplehashes each) fit
     * without growing, its secret drawn from {@code seed} as {@link ConnTable}'s is.
     */
    TupleIndex(int initialConnections, long seed, EntryStore store) {
        SplittableRandom secret = new SplittableRandom(seed);
        this.seedHigh = secret.nextLong();
        this.seedLow = secret.nextLong();
        this.store = store;
        long slotsNeeded = 4L * Math.max(0, initialConnections); // 2 keys per entry, load <= 1/2
        allocate((int) Math.min(
                MAX_CAPACITY, Math.max(MIN_CAPACITY, Long.highestOneBit(Math.max(1, slotsNeeded - 1)) << 1)));
    }

    /** {@code ____nf_conntrack_find()}: the tuplehash whose tuple is the key, or {@link ConnTable#NOT_FOUND}. */
    int get(long keyHigh, long keyLow) {
        long hash = hash(keyHigh, keyLow);
        return probe((int) (hash >>> (64 - bits)), hash >>> FRAGMENT_DROP, keyHigh, keyLow);
    }

    /**
     * Looks up {@code count} keys at once ({@link ConnTable#getBatch}): the hashes first (home slots
     * parked in {@code values}), one independent load per home slot, then the probes, in windows of
     * 64 keys. Allocation-free.
     */
    void getBatch(long[] keyHighs, long[] keyLows, int count, int[] values) {
        ConnTable.checkBatch("TupleIndex", keyHighs, keyLows, count, values);
        final long[] slots = this.slots;
        long touched = 0;
        for (int start = 0; start < count; start += BATCH_WINDOW) {
            final int end = Math.min(count, start + BATCH_WINDOW);
            for (int i = start; i < end; i++) {
                values[i] = (int) (hash(keyHighs[i], keyLows[i]) >>> (64 - bits));
            }
            for (int i = start; i < end; i++) {
                touched += slots[values[i]];
            }
            for (int i = start; i < end; i++) {
                values[i] = get(keyHighs[i], keyLows[i]);
            }
        }
        batchTouch = touched;
    }

    /**
     * Brings into the cache what the lookups of {@code count} keys will read, comparing no key:
     * the hashes first, one independent load per home slot, then for each key the entry of the
     * first slot of its probe run whose fragment matches ({@link EntryStore#touch}: its hot record
     * and both tuples), all independent loads whose misses the core overlaps. A lookup made
     * afterwards ({@link #get}) then finds the slots and the tuple it compares in the cache; a
     * {@link #getBatch} would instead compare each key in the entry as it reaches it, one miss
     * after another. Reads only, allocation-free.
     *
     * @return the sum of {@link EntryStore#touch} over the entries touched, for the caller to keep
     *     so that the loads are not dead
     */
    long touchBatch(long[] keyHighs, long[] keyLows, int count) {
        if (count < 0 || count > keyHighs.length || count > keyLows.length) {
            throw new IllegalArgumentException("TupleIndex.touchBatch: count " + count
                    + " is negative or exceeds an array (keyHighs " + keyHighs.length + ", keyLows "
                    + keyLows.length + ")");
        }
        final long[] slots = this.slots;
        final long[] hashes = this.batchHashes;
        final int mask = this.mask;
        final int drop = 64 - bits;
        long slotWords = 0;
        long touched = 0;
        for (int start = 0; start < count; start += BATCH_WINDOW) {
            final int n = Math.min(count - start, BATCH_WINDOW);
            for (int i = 0; i < n; i++) {
                long hash = hash(keyHighs[start + i], keyLows[start + i]);
                hashes[i] = hash;
                slotWords += slots[(int) (hash >>> drop)];
            }
            for (int i = 0; i < n; i++) {
                long fragment = hashes[i] >>> FRAGMENT_DROP;
                int slot = (int) (hashes[i] >>> drop);
                long s;
                while ((s = slots[slot]) != EMPTY) {
                    if ((s & FRAGMENT_MASK) == fragment) {
                        touched += store.touch(TupleHashRef.entry((int) (s >>> VALUE_SHIFT) - 1));
                        break;
                    }
                    slot = (slot + 1) & mask;
                }
            }
        }
        batchTouch = slotWords;
        return touched;
    }

    /**
     * Inserts tuplehash {@code h}, whose tuple the store already holds, unless another tuplehash
     * has the same tuple (as {@code __nf_conntrack_confirm()} refuses a clash).
     *
     * @return true if inserted, false if the key was present (the table is unchanged)
     */
    boolean putIfAbsent(long keyHigh, long keyLow, int h) {
        if (h < 0 || h > ConnTable.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "TupleIndex.putIfAbsent: value " + h + " is outside 0.." + ConnTable.MAX_VALUE);
        }
        long hash = hash(keyHigh, keyLow);
        long fragment = hash >>> FRAGMENT_DROP;
        if (probe((int) (hash >>> (64 - bits)), fragment, keyHigh, keyLow) != ConnTable.NOT_FOUND) {
            return false;
        }
        if (size >= capacity() >>> 1) {
            grow(); // keeps the load at or below 1/2 after this insert
        }
        insertDistinct(fragment | ((long) (h + 1) << VALUE_SHIFT));
        size++;
        return true;
    }

    /**
     * Removes the key, closing the hole by backward shift (Knuth's Algorithm R): each following
     * slot of the probe run moves into the hole if the hole lies between its home and where it sits.
     *
     * @return the removed tuplehash, or {@link ConnTable#NOT_FOUND}
     */
    int remove(long keyHigh, long keyLow) {
        long hash = hash(keyHigh, keyLow);
        long fragment = hash >>> FRAGMENT_DROP;
        final long[] slots = this.slots;
        final int mask = this.mask;
        int gap = (int) (hash >>> (64 - bits));
        long s;
        while (true) {
            s = slots[gap];
            if (s == EMPTY) {
                return ConnTable.NOT_FOUND;
            }
            if ((s & FRAGMENT_MASK) == fragment && matches(s, keyHigh, keyLow)) {
                break;
            }
            gap = (gap + 1) & mask;
        }
        final int removed = (int) (s >>> VALUE_SHIFT) - 1;
        int slot = (gap + 1) & mask;
        long moving;
        while ((moving = slots[slot]) != EMPTY) {
            final int home = home(moving);
            // The slot may fill the gap iff the gap is in [home, slot): its displacement reaches it.
            if (((slot - home) & mask) >= ((slot - gap) & mask)) {
                slots[gap] = moving;
                gap = slot;
            }
            slot = (slot + 1) & mask;
        }
        slots[gap] = EMPTY;
        size--;
        return removed;
    }

    /** Tuplehashes held. */
    int size() {
        return size;
    }

    /** Slots allocated (a power of two). */
    int capacity() {
        return mask + 1;
    }

    /** Bytes of the slot array: 8 per slot plus the array header. */
    long memoryBytes() {
        return TableMemory.longArray(slots.length);
    }

    /** {@link ConnTable#hash32}: the top 32 bits of the seeded hash, for the bucket chains. */
    int hash32(long keyHigh, long keyLow) {
        return (int) (hash(keyHigh, keyLow) >>> 32);
    }

    private long hash(long keyHigh, long keyLow) {
        return TupleHash.hash(keyHigh, keyLow, seedHigh, seedLow);
    }

    /** The home slot of an occupied slot, read from its fragment. */
    private int home(long s) {
        return (int) ((s & FRAGMENT_MASK) >>> (VALUE_SHIFT - bits));
    }

    /** Whether the tuplehash in slot {@code s} has the key. */
    private boolean matches(long s, long keyHigh, long keyLow) {
        int h = (int) (s >>> VALUE_SHIFT) - 1;
        return store.keyHigh(h) == keyHigh && store.keyLow(h) == keyLow;
    }

    /** Probes from {@code slot} until the key or an empty slot: the one loop every lookup runs. */
    private int probe(int slot, long fragment, long keyHigh, long keyLow) {
        final long[] slots = this.slots;
        final int mask = this.mask;
        while (true) {
            long s = slots[slot & mask];
            if (s == EMPTY) {
                return ConnTable.NOT_FOUND;
            }
            if ((s & FRAGMENT_MASK) == fragment && matches(s, keyHigh, keyLow)) {
                return (int) (s >>> VALUE_SHIFT) - 1;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void grow() {
        if (capacity() >= MAX_CAPACITY) {
            throw new IllegalStateException("TupleIndex: cannot hold more than " + (MAX_CAPACITY >>> 1) + " keys");
        }
        final long[] old = slots;
        allocate(capacity() << 1);
        // Reinsert in old slot order: deterministic, no key read (the home is in the fragment).
        for (long s : old) {
            if (s != EMPTY) {
                insertDistinct(s);
            }
        }
    }

    /** Puts a slot whose key is absent into the first empty slot of its probe run. */
    private void insertDistinct(long s) {
        final long[] slots = this.slots;
        final int mask = this.mask;
        int slot = home(s);
        while (slots[slot] != EMPTY) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = s;
    }

    private void allocate(int capacity) {
        slots = new long[capacity];
        mask = capacity - 1;
        bits = Integer.numberOfTrailingZeros(capacity);
    }
}
