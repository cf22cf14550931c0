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
 * An all-zero slot is empty. The fragment holds the hash's top bits, so the home slot
 * ({@code reciprocal_scale()} of the top 32 bits over the capacity, as the kernel picks a bucket;
 * the top {@code log2(capacity)} bits at a power of two) is read back from the slot: growing and the backward
 * shift of a removal never hash a key again and never read the entry. Only a slot whose fragment
 * matches sends the probe to the entry; a miss almost never leaves the table's cache lines.
 *
 * <p>Open addressing with linear probing, capacity a power of two (or 1.5 slots per key of a
 * {@linkplain #reserve reservation}, load 2/3 once it is full: 24 bytes per entry where doubling
 * left 32 to 64; the next power of two at load 1/2 past it), grown by doubling past load 1/2,
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
    /** {@code slots.length}: a power of two, or the room a {@link #reserve reservation} asked for. */
    private int capacity;
    /** The size at which the next insert grows the table: half the capacity, two thirds at a reservation. */
    private int growAt;

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
        allocate(capacityFor(initialConnections));
    }

    /** The slots {@code connections} entries (two tuplehashes each) need at load 1/2 or below. */
    private static int capacityFor(int connections) {
        long slotsNeeded = 4L * Math.max(0, connections);
        return (int) Math.min(MAX_CAPACITY, Math.max(MIN_CAPACITY, TableMemory.ceilPow2(slotsNeeded)));
    }

    /**
     * Makes room for {@code connections} entries before any is inserted ({@link EntryStore#reserve}),
     * so that the table reaches its peak without growing.
     *
     * @throws IllegalStateException if the table holds a key (an internal error: a reservation is made
     *     when the table is built)
     */
    void reserve(int connections) {
        if (size != 0) {
            throw new IllegalStateException("TupleIndex: reserved after " + size + " keys were inserted");
        }
        long keys = 2L * connections;
        long wanted = Math.min(MAX_CAPACITY, 3L * connections); // load 2/3 when the reservation is full
        if (wanted > capacity) {
            allocate((int) wanted);
            growAt = (int) Math.min(keys, wanted * 2 / 3);
        }
    }

    /** {@code ____nf_conntrack_find()}: the tuplehash whose tuple is the key, or {@link ConnTable#NOT_FOUND}. */
    int get(long keyHigh, long keyLow) {
        long hash = hash(keyHigh, keyLow);
        return probe(home(hash), hash >>> FRAGMENT_DROP, keyHigh, keyLow);
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
                values[i] = home(hash(keyHighs[i], keyLows[i]));
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
        long slotWords = 0;
        long touched = 0;
        for (int start = 0; start < count; start += BATCH_WINDOW) {
            final int n = Math.min(count - start, BATCH_WINDOW);
            for (int i = 0; i < n; i++) {
                long hash = hash(keyHighs[start + i], keyLows[start + i]);
                hashes[i] = hash;
                slotWords += slots[home(hash)];
            }
            for (int i = 0; i < n; i++) {
                long fragment = hashes[i] >>> FRAGMENT_DROP;
                int slot = home(hashes[i]);
                long s;
                while ((s = slots[slot]) != EMPTY) {
                    if ((s & FRAGMENT_MASK) == fragment) {
                        touched += store.touch(TupleHashRef.entry((int) (s >>> VALUE_SHIFT) - 1));
                        break;
                    }
                    slot = next(slot);
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
        if (probe(home(hash), fragment, keyHigh, keyLow) != ConnTable.NOT_FOUND) {
            return false;
        }
        if (size >= growAt) {
            grow(); // keeps the load at or below 1/2 after this insert (2/3 in a reservation)
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
        int gap = home(hash);
        long s;
        while (true) {
            s = slots[gap];
            if (s == EMPTY) {
                return ConnTable.NOT_FOUND;
            }
            if ((s & FRAGMENT_MASK) == fragment && matches(s, keyHigh, keyLow)) {
                break;
            }
            gap = next(gap);
        }
        final int removed = (int) (s >>> VALUE_SHIFT) - 1;
        int slot = next(gap);
        long moving;
        while ((moving = slots[slot]) != EMPTY) {
            final int home = homeOfSlot(moving);
            // The slot may fill the gap iff the gap is in [home, slot): its displacement reaches it.
            if (distance(home, slot) >= distance(gap, slot)) {
                slots[gap] = moving;
                gap = slot;
            }
            slot = next(slot);
        }
        slots[gap] = EMPTY;
        size--;
        return removed;
    }

    /** Tuplehashes held. */
    int size() {
        return size;
    }

    /** Slots allocated (a power of two, or what a reservation asked for). */
    int capacity() {
        return capacity;
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

    /**
     * The home slot of a hash: {@code reciprocal_scale(hash >> 32, capacity)}, the top
     * {@code log2(capacity)} bits at a power of two.
     */
    private int home(long hash) {
        return (int) (((hash >>> 32) * capacity) >>> 32);
    }

    /** The home slot of an occupied slot, read from its fragment (the hash's bits 63..24). */
    private int homeOfSlot(long s) {
        return (int) ((((s & FRAGMENT_MASK) >>> (32 - FRAGMENT_DROP)) * capacity) >>> 32);
    }

    /** The slot after {@code slot}, wrapping at the end. */
    private int next(int slot) {
        int n = slot + 1;
        return n == capacity ? 0 : n;
    }

    /** How far {@code to} is after {@code from}, wrapping. */
    private int distance(int from, int to) {
        int d = to - from;
        return d < 0 ? d + capacity : d;
    }

    /** Whether the tuplehash in slot {@code s} has the key. */
    private boolean matches(long s, long keyHigh, long keyLow) {
        int h = (int) (s >>> VALUE_SHIFT) - 1;
        return store.keyHigh(h) == keyHigh && store.keyLow(h) == keyLow;
    }

    /** Probes from {@code slot} until the key or an empty slot: the one loop every lookup runs. */
    private int probe(int slot, long fragment, long keyHigh, long keyLow) {
        final long[] slots = this.slots;
        while (true) {
            long s = slots[slot];
            if (s == EMPTY) {
                return ConnTable.NOT_FOUND;
            }
            if ((s & FRAGMENT_MASK) == fragment && matches(s, keyHigh, keyLow)) {
                return (int) (s >>> VALUE_SHIFT) - 1;
            }
            slot = next(slot);
        }
    }

    private void grow() {
        if (capacity() >= MAX_CAPACITY) {
            throw new IllegalStateException("TupleIndex: cannot hold more than " + (MAX_CAPACITY >>> 1) + " keys");
        }
        final long[] old = slots;
        // the next power of two, at load 1/2 or below: twice a power of two, more than a full reservation
        allocate((int) Math.min(MAX_CAPACITY, TableMemory.ceilPow2(Math.max(capacity + 1L, 2L * (size + 1)))));
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
        int slot = homeOfSlot(s);
        while (slots[slot] != EMPTY) {
            slot = next(slot);
        }
        slots[slot] = s;
    }

    private void allocate(int capacity) {
        slots = new long[capacity];
        this.capacity = capacity;
        this.growAt = capacity >>> 1;
    }
}
