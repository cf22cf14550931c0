package io.kpsim.conntrack;

import java.util.SplittableRandom;

/**
 * The connection table: packed IPv4 tuples to {@code int} values (entry references), the hot path
 * of every packet. It plays the part of the kernel's {@code nf_conntrack_hash}: each
 * {@code struct nf_conn} is found through {@code tuplehash[IP_CT_DIR_MAX]}, one key for the
 * ORIGINAL tuple and one for the REPLY tuple, so a table of {@code n} connections holds
 * {@code 2n} keys.
 *
 * <p><b>Layout.</b> Open addressing with linear probing over one {@code long[]}, two words per slot
 * (16 bytes, so four slots share a 64-byte cache line and no slot straddles two lines), capacity a
 * power of two:
 *
 * <pre>
 *   slot s = words [2s, 2s+1], each as two rows of 32 bits (its high half, bits 63..32, first),
 *   most significant bit first; the ruler gives bit positions within a row
 *    3 3 2 2 2 2 2 2 2 2 2 2 1 1 1 1 1 1 1 1 1 1
 *    1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0
 *   +-----------------------------------------------+---------------+
 *   |          value + 1 (24 bits, 0 = empty)       |   protocol    |  word 2s, bits 63..32
 *   +-------------------------------+---------------+---------------+    (control)
 *   |           srcPort             |           dstPort             |  word 2s, bits 31..0
 *   +-------------------------------+-------------------------------+
 *   |                            srcIp                              |  word 2s+1, bits 63..32
 *   +---------------------------------------------------------------+    (keyHigh)
 *   |                            dstIp                              |  word 2s+1, bits 31..0
 *   +---------------------------------------------------------------+
 * </pre>
 *
 * The control word is {@link #keyLow} (40 bits) with {@code value + 1} in its top 24 bits, so an
 * all-zero word means "empty" and a fresh array is an empty table. A lookup compares the control
 * word's 40 key bits and then the other word of the same 16 bytes, and stops at an empty slot.
 * There is no separate tag: the whole key sits in the line the probe already
 * loaded, so comparing it costs no more than comparing a tag would. The price is that values are
 * limited to {@link #MAX_VALUE} (16,777,214): enough for an entry and a direction
 * ({@code TupleHashRef}) at the kernel's largest realistic {@code nf_conntrack_max}.
 *
 * <p><b>Load factor 1/2 and memory.</b> The table doubles when more than half the slots are used.
 * At 1,048,576 connections (2^21 keys) a power-of-two capacity must be 2^22 slots whatever the
 * limit: 64 MiB, 64 bytes per connection with both directions. Linear probing at load 1/2 takes 1.5
 * probes per hit and 2.5 per miss (at 3/4 a miss, every NEW packet, would take 8.5); a random
 * key's probe stays in its first cache line 89% of the time for a hit, 71% for a miss.
 *
 * <p><b>Hash.</b> {@link TupleHash} with a per-table secret drawn from the constructor's seed, as
 * {@code hash_conntrack_raw()} keys {@code siphash} with {@code nf_conntrack_hash_rnd}; the home
 * slot is the hash's top bits. Same seed, same operations: same slots, same answers.
 *
 * <p><b>Deletion</b> is backward shift (Knuth's Algorithm R, Agrona's {@code compactChain}): the
 * keys after the hole move back when their home allows, so there are no tombstones and insert,
 * delete and expiry churn never lengthens probes.
 *
 * <p><b>Batch lookup</b> ({@link #getBatch}) hashes every key, then touches every home slot with
 * independent loads, then resolves: the cache misses of a batch overlap (memory-level parallelism,
 * as DPDK's {@code rte_hash_lookup_bulk}). Lookups, hits and misses allocate nothing.
 *
 * <p>The kernel's bucket chains, which {@code early_drop()}, confirmation and the gc worker walk,
 * are kept beside this table ({@link HashChains}); {@link #hash32} gives their bucket hash.
 *
 * <p>Not thread-safe: the simulator is single-threaded.
 */
public final class ConnTable {

    /** Returned by lookups and removals when the key is absent. */
    public static final int NOT_FOUND = -1;

    /** The largest value a slot can hold (24 bits, minus the "empty" code). */
    public static final int MAX_VALUE = (1 << 24) - 2;

    /** The most connections a table may be sized for up front (2^27, i.e. 2^28 keys). */
    public static final int MAX_INITIAL_CONNECTIONS = 1 << 27;

    /** Bytes of a {@code long[]} header on a 64-bit JVM with compressed class pointers. */
    static final int ARRAY_HEADER_BYTES = 16;

    private static final int WORDS_PER_SLOT = 2;
    private static final int VALUE_SHIFT = 40;
    private static final long KEY_LOW_MASK = (1L << VALUE_SHIFT) - 1;
    private static final long EMPTY = 0L;
    private static final int MIN_CAPACITY = 16;
    private static final int MAX_CAPACITY = 1 << 29;
    private static final int BATCH_WINDOW = 64;

    private final long seedHigh;
    private final long seedLow;
    private long[] slots;
    private int mask;
    private int shift;
    private int size;
    /** Sink for the batch "touch" loads, so the JIT cannot drop them as dead. */
    private long batchTouch;

    /**
     * An empty table sized so that {@code initialConnections} connections (two keys each) fit
     * without a resize; it grows beyond that as needed.
     *
     * @param initialConnections connections to size for, 0 to {@link #MAX_INITIAL_CONNECTIONS}
     * @param seed seeds the per-table hash secret
     */
    public ConnTable(int initialConnections, long seed) {
        this(initialConnections, new SplittableRandom(seed));
    }

    private ConnTable(int initialConnections, SplittableRandom secret) {
        this(initialConnections, secret.nextLong(), secret.nextLong());
    }

    private ConnTable(int initialConnections, long seedHigh, long seedLow) {
        if (initialConnections < 0 || initialConnections > MAX_INITIAL_CONNECTIONS) {
            throw new IllegalArgumentException("ConnTable: initialConnections " + initialConnections + " is outside 0.."
                    + MAX_INITIAL_CONNECTIONS);
        }
        this.seedHigh = seedHigh;
        this.seedLow = seedLow;
        long slotsNeeded = 4L * initialConnections; // 2 keys per connection, load <= 1/2
        allocate((int) Math.max(MIN_CAPACITY, Long.highestOneBit(Math.max(1, slotsNeeded - 1)) << 1));
    }

    /**
     * A table whose hash secret is zero, i.e. the same hash design with no seed. It exists only to
     * measure and test what seeding buys against crafted tuples; the simulator never uses it.
     *
     * @param initialConnections connections to size for
     * @return an unseeded table
     */
    public static ConnTable unseeded(int initialConnections) {
        return new ConnTable(initialConnections, 0L, 0L);
    }

    /**
     * Packs the addresses of a tuple: {@code srcIp} in the high 32 bits, {@code dstIp} in the low.
     *
     * @param srcIp source address
     * @param dstIp destination address
     * @return the key's high word
     */
    public static long keyHigh(int srcIp, int dstIp) {
        return ((long) srcIp << 32) | (dstIp & 0xffffffffL);
    }

    /**
     * Packs protocol and ports of a tuple into 40 bits: protocol (8), srcPort (16), dstPort (16).
     *
     * @param protocol IP protocol number (6 TCP, 17 UDP, 1 ICMP)
     * @param srcPort source port, or ICMP identifier
     * @param dstPort destination port, or ICMP type and code
     * @return the key's low word
     */
    public static long keyLow(int protocol, int srcPort, int dstPort) {
        // (long) before the shift: as int, a srcPort of 32768 or more would sign-extend.
        return ((long) (protocol & 0xff) << 32) | ((long) (srcPort & 0xffff) << 16) | (dstPort & 0xffff);
    }

    /**
     * Looks a key up ({@code ____nf_conntrack_find}). Allocation-free.
     *
     * @param keyHigh {@link #keyHigh}
     * @param keyLow {@link #keyLow}
     * @return the value stored for the key, or {@link #NOT_FOUND}
     */
    public int get(long keyHigh, long keyLow) {
        return probe(homeSlot(keyHigh, keyLow), keyHigh, keyLow);
    }

    /**
     * Looks up {@code count} keys at once, overlapping their cache misses: all hashes first (home
     * slots parked in {@code values}), then one independent load per home slot, then the probes,
     * in windows of 64 keys (one NAPI poll's worth, {@code NAPI_POLL_WEIGHT}): enough misses in
     * flight at once to cover a trip to memory, and 4 KiB of touched lines, still in L1 when
     * resolved. Allocation-free.
     *
     * @param keyHighs high words
     * @param keyLows low words
     * @param count how many keys, from index 0
     * @param values receives each key's value or {@link #NOT_FOUND}
     */
    public void getBatch(long[] keyHighs, long[] keyLows, int count, int[] values) {
        checkBatch("ConnTable", keyHighs, keyLows, count, values);
        final long[] slots = this.slots;
        long touched = 0;
        for (int start = 0; start < count; start += BATCH_WINDOW) {
            final int end = Math.min(count, start + BATCH_WINDOW);
            for (int i = start; i < end; i++) {
                values[i] = homeSlot(keyHighs[i], keyLows[i]);
            }
            for (int i = start; i < end; i++) {
                // both words: a slot straddles two cache lines when the array starts 8 bytes off a
                // 16-byte boundary, as the serial collector may place it
                int w = values[i] * WORDS_PER_SLOT;
                touched += slots[w] + slots[w + 1];
            }
            for (int i = start; i < end; i++) {
                values[i] = probe(values[i], keyHighs[i], keyLows[i]);
            }
        }
        batchTouch = touched;
    }

    /** The arguments of a batch lookup, checked before any is read ({@link TupleIndex} shares it). */
    static void checkBatch(String table, long[] keyHighs, long[] keyLows, int count, int[] values) {
        if (count < 0 || count > keyHighs.length || count > keyLows.length || count > values.length) {
            throw new IllegalArgumentException(table + ".getBatch: count " + count
                    + " is negative or exceeds an array (keyHighs " + keyHighs.length + ", keyLows "
                    + keyLows.length + ", values " + values.length + ")");
        }
    }

    /**
     * Inserts a key unless it is present (as {@code __nf_conntrack_confirm} refuses a clash).
     *
     * @param keyHigh {@link #keyHigh}
     * @param keyLow {@link #keyLow}; at most 40 bits
     * @param value 0 to {@link #MAX_VALUE}
     * @return true if inserted, false if the key was already present (its value is unchanged)
     */
    public boolean putIfAbsent(long keyHigh, long keyLow, int value) {
        if (value < 0 || value > MAX_VALUE) {
            throw new IllegalArgumentException("ConnTable.putIfAbsent: value " + value + " is outside 0.." + MAX_VALUE);
        }
        if ((keyLow & ~KEY_LOW_MASK) != 0) {
            throw new IllegalArgumentException("ConnTable.putIfAbsent: keyLow 0x" + Long.toHexString(keyLow)
                    + " has bits above bit 39; build it with ConnTable.keyLow");
        }
        final int found = locate(keyHigh, keyLow);
        if (found >= 0) {
            return false;
        }
        final int slot = -found - 1;
        final long newControl = keyLow | ((long) (value + 1) << VALUE_SHIFT);
        if (size >= capacity() >>> 1) {
            grow(); // keeps the load at or below 1/2 after this insert
            insertDistinct(newControl, keyHigh);
        } else {
            slots[slot * WORDS_PER_SLOT] = newControl;
            slots[slot * WORDS_PER_SLOT + 1] = keyHigh;
        }
        size++;
        return true;
    }

    /**
     * Removes a key, closing the hole by backward shift: each following key of the probe run moves
     * into the hole if the hole lies between its home slot and where it sits, until an empty slot.
     *
     * @param keyHigh {@link #keyHigh}
     * @param keyLow {@link #keyLow}
     * @return the removed value, or {@link #NOT_FOUND}
     */
    public int remove(long keyHigh, long keyLow) {
        int gap = locate(keyHigh, keyLow);
        if (gap < 0) {
            return NOT_FOUND;
        }
        final long[] slots = this.slots;
        final int mask = this.mask;
        final int removed = (int) (slots[gap * WORDS_PER_SLOT] >>> VALUE_SHIFT) - 1;
        int slot = (gap + 1) & mask;
        long moving;
        while ((moving = slots[slot * WORDS_PER_SLOT]) != EMPTY) {
            final long movingHigh = slots[slot * WORDS_PER_SLOT + 1];
            final int home = homeSlot(movingHigh, moving & KEY_LOW_MASK);
            // The key may fill the gap iff the gap is in [home, slot): its displacement reaches it.
            if (((slot - home) & mask) >= ((slot - gap) & mask)) {
                slots[gap * WORDS_PER_SLOT] = moving;
                slots[gap * WORDS_PER_SLOT + 1] = movingHigh;
                gap = slot;
            }
            slot = (slot + 1) & mask;
        }
        slots[gap * WORDS_PER_SLOT] = EMPTY;
        slots[gap * WORDS_PER_SLOT + 1] = 0L;
        size--;
        return removed;
    }

    /** @return keys stored (two per connection once both directions are in) */
    public int size() {
        return size;
    }

    /** @return slots allocated (a power of two) */
    public int capacity() {
        return mask + 1;
    }

    /** @return bytes held by the table's array: 16 per slot plus the array header */
    public long memoryBytes() {
        return ARRAY_HEADER_BYTES + 8L * slots.length;
    }

    /**
     * The top 32 bits of the key's seeded hash: what {@code hash_conntrack_raw()} gives the kernel's
     * bucket chains ({@link HashChains}), from the same per-table secret as the home slot.
     */
    int hash32(long keyHigh, long keyLow) {
        return (int) (TupleHash.hash(keyHigh, keyLow, seedHigh, seedLow) >>> 32);
    }

    /** The slot a key's probe starts at. Package-private for tests. */
    int homeSlot(long keyHigh, long keyLow) {
        return (int) (TupleHash.hash(keyHigh, keyLow, seedHigh, seedLow) >>> shift);
    }

    /** The slot holding a key, or {@link #NOT_FOUND}. Package-private for tests. */
    int slotOf(long keyHigh, long keyLow) {
        final int found = locate(keyHigh, keyLow);
        return found >= 0 ? found : NOT_FOUND;
    }

    /** The slot holding the key, or {@code -(s + 1)} for the empty slot {@code s} ending its probe run. */
    private int locate(long keyHigh, long keyLow) {
        final long[] slots = this.slots;
        final int mask = this.mask;
        int slot = homeSlot(keyHigh, keyLow);
        long control;
        while ((control = slots[slot * WORDS_PER_SLOT]) != EMPTY) {
            if ((control & KEY_LOW_MASK) == keyLow && slots[slot * WORDS_PER_SLOT + 1] == keyHigh) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return -slot - 1;
    }

    /** The longest distance of any key from its home slot. Package-private for tests. */
    int maxDisplacement() {
        int max = 0;
        for (int slot = 0; slot <= mask; slot++) {
            final long control = slots[slot * WORDS_PER_SLOT];
            if (control != EMPTY) {
                final int home = homeSlot(slots[slot * WORDS_PER_SLOT + 1], control & KEY_LOW_MASK);
                max = Math.max(max, (slot - home) & mask);
            }
        }
        return max;
    }

    /**
     * Probes from {@code slot} until the key or an empty slot: the one loop every lookup runs.
     * Indices are masked with the array's length, which lets C2 drop both range checks (a
     * power-of-two length minus one bounds {@code i & mask}), and the home slot is compared before
     * it is tested for empty: an empty slot is all zeros, so it can only "match" the all-zero key,
     * and then its value field, 0, decodes to {@link #NOT_FOUND}, the right answer. Fewer
     * instructions per lookup keep more lookups' cache misses in flight.
     */
    private int probe(int slot, long keyHigh, long keyLow) {
        final long[] slots = this.slots;
        final int words = slots.length - 1;
        int w = slot * WORDS_PER_SLOT;
        long control = slots[w & words];
        while (true) {
            if ((control & KEY_LOW_MASK) == keyLow && slots[(w + 1) & words] == keyHigh) {
                return (int) (control >>> VALUE_SHIFT) - 1;
            }
            if (control == EMPTY) {
                return NOT_FOUND;
            }
            w += WORDS_PER_SLOT;
            control = slots[w & words];
        }
    }

    private void grow() {
        final int capacity = mask + 1;
        if (capacity >= MAX_CAPACITY) {
            throw new IllegalStateException("ConnTable: cannot hold more than " + (MAX_CAPACITY >>> 1) + " keys");
        }
        final long[] old = slots;
        allocate(capacity << 1);
        // Reinsert in old slot order: deterministic, and no key compares (all keys are distinct).
        for (int i = 0; i < old.length; i += WORDS_PER_SLOT) {
            if (old[i] != EMPTY) {
                insertDistinct(old[i], old[i + 1]);
            }
        }
    }

    /** Puts a key known to be absent into the first empty slot of its probe run. */
    private void insertDistinct(long control, long keyHigh) {
        final long[] slots = this.slots;
        final int mask = this.mask;
        int slot = homeSlot(keyHigh, control & KEY_LOW_MASK);
        while (slots[slot * WORDS_PER_SLOT] != EMPTY) {
            slot = (slot + 1) & mask;
        }
        slots[slot * WORDS_PER_SLOT] = control;
        slots[slot * WORDS_PER_SLOT + 1] = keyHigh;
    }

    private void allocate(int capacity) {
        slots = new long[capacity * WORDS_PER_SLOT];
        mask = capacity - 1;
        shift = Long.numberOfLeadingZeros(capacity - 1L);
    }
}
