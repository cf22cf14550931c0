package io.kpsim.conntrack;

import static io.kpsim.conntrack.EntryLayout.DEADLINE_HIGH;
import static io.kpsim.conntrack.EntryLayout.DEADLINE_LOW;
import static io.kpsim.conntrack.EntryLayout.KEY_LOW_MASK;
import static io.kpsim.conntrack.EntryLayout.NEXT_FREE;
import static io.kpsim.conntrack.EntryLayout.PROTOCOL_SHIFT;
import static io.kpsim.conntrack.EntryLayout.STATUS;
import static io.kpsim.conntrack.EntryLayout.STREAM_TS_HIGH;
import static io.kpsim.conntrack.EntryLayout.STREAM_TS_LOW;
import static io.kpsim.conntrack.EntryLayout.ZONE_SHIFT;
import static io.kpsim.conntrack.EntryLayout.line;

import java.util.Arrays;

/**
 * Packed storage of conntrack entries ({@code struct nf_conn} with {@code struct ip_ct_tcp}),
 * indexed by entry id, with a free list. The packet path reads and writes through these small
 * accessors, so looking up and updating an established connection allocates nothing.
 *
 * <p>The hot state of an entry ({@code status}, the deadline, the TCP state, the {@code last_*}
 * annotations, {@code retrans}, both directions' {@code seen[]}, or UDP's {@code stream_ts}) is
 * one 64-byte record of an interleaved {@code int[]} laid out by {@link EntryLayout}, so an
 * established packet touches one cache line after the lookup instead of one per field. The
 * deadline is absolute nanos (the relative timeout while unconfirmed, as {@code ct->timeout}
 * before {@code __nf_conntrack_confirm}). Separate arrays keep the rest: both tuples as two-long keys
 * ({@code tuplehash[ORIGINAL]}, {@code tuplehash[REPLY]}; {@link ConnTable#keyHigh},
 * {@link ConnTable#keyLow}), with the protocol, the zone and the SYN annotations
 * {@code last_flags}/{@code last_wscale} in the spare bits of their low words
 * ({@link EntryLayout#KEY_LOW_BITS}), and the mark.
 *
 * <p>This class owns the arrays: it allocates and frees entries, grows the arrays by doubling (to
 * the next power of two, from a {@link #reserve reservation} that is not one), and
 * keeps the tuples, {@code ct->status}, the deadline and the mark. The {@code struct ip_ct_tcp}
 * accessors are {@link TcpEntryState}'s. Per direction accessors (the tuple of each direction,
 * {@code seen[dir]}) take a {@link TupleHashRef} {@code h}, which names the entry and the
 * direction. Every offset into these arrays is computed here, in {@link TcpEntryState} and in
 * {@link EntryLayout}, nowhere else.
 */
final class EntryStore extends TcpEntryState {

    /** The status value of a free slot (no real status has all bits set). */
    static final int FREE = -1;

    /**
     * {@code ct->mark} (CONNMARK, {@code -m connmark}); cold, so beside the hot record, and made
     * only when a rule first sets a mark other than 0: until then every entry's mark is 0, as a new
     * {@code struct nf_conn}'s is, and a table no rule marks carries no array for it.
     */
    private int[] mark;

    private int capacity;
    private int freeHead = -1;
    private int highWater;
    private int live;

    EntryStore(int initialCapacity) {
        resize(Math.max(16, initialCapacity));
    }

    /** Takes a free entry id, growing the arrays when needed; its fields are zeroed. */
    int allocate() {
        int e;
        if (freeHead >= 0) {
            e = freeHead;
            freeHead = hot[line(e) + NEXT_FREE];
        } else {
            if (highWater == capacity) {
                resize((int) TableMemory.grown(capacity));
            }
            e = highWater++;
        }
        clear(e);
        live++;
        return e;
    }

    /**
     * Returns an entry id to the free list.
     *
     * @throws IllegalStateException if {@code e} is not allocated: freeing it twice would put it on
     *     the free list twice and hand it out to two connections (an internal error, never input)
     */
    void free(int e) {
        if (!inUse(e)) {
            throw new IllegalStateException("conntrack entry " + e + " freed but not allocated (double free)");
        }
        hot[line(e) + STATUS] = FREE;
        hot[line(e) + NEXT_FREE] = freeHead;
        freeHead = e;
        live--;
    }

    /** Whether {@code e} is an allocated entry. */
    boolean inUse(int e) {
        return e >= 0 && e < highWater && hot[line(e) + STATUS] != FREE;
    }

    /** Ids ever handed out (iteration bound). */
    int highWater() {
        return highWater;
    }

    /** Entries allocated and not freed. */
    int live() {
        return live;
    }

    /** Length of the free list, walked (for invariant checks, not the packet path). */
    int freeListLength() {
        int n = 0;
        for (int e = freeHead; e >= 0; e = hot[line(e) + NEXT_FREE]) {
            if (n++ > highWater) {
                throw new IllegalStateException("conntrack free list has a cycle");
            }
        }
        return n;
    }

    /**
     * Loads the first and last word of entry {@code e}'s hot record and of its two tuples, for
     * {@link EntryTable#prefetch}: the sum is meaningless, the loads are the point. Both ends,
     * because the record is one cache line only when the array starts on one ({@link EntryLayout}):
     * the serial collector the launcher chooses aligns arrays to 8 bytes, so most records and tuple
     * pairs straddle two lines, and the second one (the {@code seen[]} windows, the reply tuple) was
     * a miss of its own in the TCP window check and NAT (src/docs/benchmarks.md section 3, session 12).
     */
    long touch(int e) {
        int o = line(e);
        int k = 2 * TupleHashRef.original(e);
        return hot[o] + hot[o + EntryLayout.INTS - 1] + keys[k] + keys[k + 3];
    }

    // ---- the tuples (tuplehash[ORIGINAL], tuplehash[REPLY]) and the protocol

    /** Sets both tuples of a new entry and its protocol ({@code __nf_conntrack_alloc()}). */
    void setTuples(int e, long origHigh, long origLow, long replyHigh, long replyLow, int protocolNumber) {
        setKey(TupleHashRef.original(e), origHigh, origLow);
        setKey(TupleHashRef.reply(e), replyHigh, replyLow);
        setKeyField(originalLow(e), PROTOCOL_SHIFT, 0xff, protocolNumber);
    }

    /**
     * Sets the tuple of tuplehash {@code h} (NAT's {@code nf_conntrack_alter_reply()} sets the
     * reply's); the fields above the key in its low word stay.
     */
    void setKey(int h, long high, long low) {
        keys[2 * h] = high;
        keys[2 * h + 1] = (keys[2 * h + 1] & ~KEY_LOW_MASK) | (low & KEY_LOW_MASK);
    }

    /** {@link ConnTable#keyHigh} of the tuple of tuplehash {@code h}. */
    long keyHigh(int h) {
        return keys[2 * h];
    }

    /** {@link ConnTable#keyLow} of the tuple of tuplehash {@code h}. */
    long keyLow(int h) {
        return keys[2 * h + 1] & KEY_LOW_MASK;
    }

    /** The IP protocol number of entry {@code e}. */
    int protocol(int e) {
        return keyField(originalLow(e), PROTOCOL_SHIFT, 0xff);
    }

    /** The conntrack zone of entry {@code e} ({@code nf_ct_zone(ct)->id}, 0 the default zone). */
    int zone(int e) {
        return keyField(originalLow(e), ZONE_SHIFT, 0xffff);
    }

    /** Puts a new entry in conntrack zone {@code zone} ({@code nf_ct_zone_add()}), 0..65535. */
    void setZone(int e, int zone) {
        setKeyField(originalLow(e), ZONE_SHIFT, 0xffff, zone);
    }

    /** Index in the keys of entry {@code e}'s original tuple's low word. */
    private static int originalLow(int e) {
        return 2 * TupleHashRef.original(e) + 1;
    }

    /**
     * UDP {@code stream_ts}: absolute nanos once confirmed, relative before. It takes the rows of
     * TCP's {@code last_seq} and {@code last_ack} ({@link EntryLayout#STREAM_TS_LOW}): an entry is
     * one protocol's, and 0 until set, as a new entry's {@code last_seq} and {@code last_ack} are.
     */
    long streamTs(int e) {
        int o = line(e);
        return ((long) hot[o + STREAM_TS_HIGH] << 32) | (hot[o + STREAM_TS_LOW] & 0xffff_ffffL);
    }

    void setStreamTs(int e, long nanos) {
        int o = line(e);
        hot[o + STREAM_TS_LOW] = (int) nanos;
        hot[o + STREAM_TS_HIGH] = (int) (nanos >>> 32);
    }

    // ---- ct->status and ct->timeout

    int status(int e) {
        return hot[line(e) + STATUS];
    }

    void setStatus(int e, int status) {
        hot[line(e) + STATUS] = status;
    }

    /** {@code set_bit()} on {@code ct->status}. */
    void addStatus(int e, int bits) {
        hot[line(e) + STATUS] |= bits;
    }

    /** Absolute deadline in nanos, or the relative timeout while unconfirmed. */
    long deadline(int e) {
        int o = line(e);
        return ((long) hot[o + DEADLINE_HIGH] << 32) | (hot[o + DEADLINE_LOW] & 0xffff_ffffL);
    }

    void setDeadline(int e, long deadline) {
        int o = line(e);
        hot[o + DEADLINE_LOW] = (int) deadline;
        hot[o + DEADLINE_HIGH] = (int) (deadline >>> 32);
    }

    private void clear(int e) {
        Arrays.fill(hot, line(e), line(e) + EntryLayout.INTS, 0);
        Arrays.fill(keys, 2 * TupleHashRef.original(e), 2 * TupleHashRef.reply(e) + 2, 0L);
        if (mark != null) {
            mark[e] = 0;
        }
    }

    /** {@code ct->mark}. */
    int mark(int e) {
        return mark == null ? 0 : mark[e];
    }

    void setMark(int e, int value) {
        if (mark == null) {
            if (value == 0) {
                return;
            }
            mark = new int[capacity];
        }
        mark[e] = value;
    }

    /** Entries the arrays have room for now (they double when full). */
    int capacity() {
        return capacity;
    }

    /**
     * Makes room for {@code entries} at once, so that a table whose peak is known never grows (or
     * copies) on the way to it; grows nothing when it already has the room.
     */
    void reserve(int entries) {
        if (entries > capacity) {
            resize(entries);
        }
    }

    /** Bytes of the arrays now, headers included: they grow by doubling and never shrink. */
    long heapBytes() {
        return TableMemory.intArray(hot.length)
                + TableMemory.longArray(keys.length)
                + (mark == null ? 0 : TableMemory.intArray(mark.length));
    }

    private void resize(int n) {
        hot = hot == null ? new int[EntryLayout.length(n)] : Arrays.copyOf(hot, EntryLayout.length(n));
        keys = keys == null ? new long[4 * n] : Arrays.copyOf(keys, 4 * n);
        mark = mark == null ? null : Arrays.copyOf(mark, n);
        capacity = n;
    }
}
