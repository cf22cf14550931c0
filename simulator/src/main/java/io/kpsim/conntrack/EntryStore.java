package io.kpsim.conntrack;

import static io.kpsim.conntrack.EntryLayout.DEADLINE_HIGH;
import static io.kpsim.conntrack.EntryLayout.DEADLINE_LOW;
import static io.kpsim.conntrack.EntryLayout.NEXT_FREE;
import static io.kpsim.conntrack.EntryLayout.STATUS;
import static io.kpsim.conntrack.EntryLayout.line;

import java.util.Arrays;

/**
 * Packed storage of conntrack entries ({@code struct nf_conn} with {@code struct ip_ct_tcp}),
 * indexed by entry id, with a free list. The packet path reads and writes through these small
 * accessors, so looking up and updating an established connection allocates nothing.
 *
 * <p>The hot state of an entry ({@code status}, the deadline, the TCP state, the {@code last_*}
 * annotations, {@code retrans} and both directions' {@code seen[]}) is one 64-byte record of an
 * interleaved {@code int[]} laid out by {@link EntryLayout}, so an established packet touches one
 * cache line after the lookup instead of one per field. The deadline is absolute nanos (the
 * relative timeout while unconfirmed, as {@code ct->timeout} before
 * {@code __nf_conntrack_confirm}). Separate arrays keep the rest: both tuples as the table's
 * two-long keys ({@code tuplehash[ORIGINAL]}, {@code tuplehash[REPLY]}), the protocol, UDP
 * {@code stream_ts} and the SYN annotations {@code last_flags}/{@code last_wscale}.
 *
 * <p>This class owns the arrays: it allocates and frees entries, grows the arrays by doubling, and
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
     * The tuples as {@link ConnTable} keys, two longs per tuplehash: {@code [2h]} the high word,
     * {@code [2h + 1]} the low word of tuplehash {@code h}, so an entry's original tuple comes first,
     * its reply tuple second.
     */
    private long[] keys;

    /**
     * The IP protocol number (low 8 bits) and the conntrack zone ({@code ct->zone.id}, a u16, high
     * 16 bits) of each entry: the zone is as rarely read as the protocol, so it shares its int.
     */
    private int[] protocol;
    /** UDP {@code stream_ts} (absolute nanos, relative while unconfirmed). */
    private long[] streamTs;

    /** {@code ct->mark} (CONNMARK, {@code -m connmark}); cold, so beside the hot record. */
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
                resize(capacity * 2);
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
        protocol[e] = protocolNumber;
    }

    /** Sets the tuple of tuplehash {@code h} (NAT's {@code nf_conntrack_alter_reply()} sets the reply's). */
    void setKey(int h, long high, long low) {
        keys[2 * h] = high;
        keys[2 * h + 1] = low;
    }

    /** {@link ConnTable#keyHigh} of the tuple of tuplehash {@code h}. */
    long keyHigh(int h) {
        return keys[2 * h];
    }

    /** {@link ConnTable#keyLow} of the tuple of tuplehash {@code h}. */
    long keyLow(int h) {
        return keys[2 * h + 1];
    }

    /** The IP protocol number of entry {@code e}. */
    int protocol(int e) {
        return protocol[e] & 0xff;
    }

    /** The conntrack zone of entry {@code e} ({@code nf_ct_zone(ct)->id}, 0 the default zone). */
    int zone(int e) {
        return protocol[e] >>> 16;
    }

    /** Puts a new entry in conntrack zone {@code zone} ({@code nf_ct_zone_add()}), 0..65535. */
    void setZone(int e, int zone) {
        protocol[e] = (protocol[e] & 0xff) | (zone << 16);
    }

    /** UDP {@code stream_ts}: absolute nanos once confirmed, relative before. */
    long streamTs(int e) {
        return streamTs[e];
    }

    void setStreamTs(int e, long nanos) {
        streamTs[e] = nanos;
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
        setKey(TupleHashRef.original(e), 0, 0);
        setKey(TupleHashRef.reply(e), 0, 0);
        protocol[e] = 0;
        streamTs[e] = 0;
        lastFlags[e] = 0;
        lastWscale[e] = 0;
        mark[e] = 0;
    }

    /** {@code ct->mark}. */
    int mark(int e) {
        return mark[e];
    }

    void setMark(int e, int value) {
        mark[e] = value;
    }

    /** Entries the arrays have room for now (they double when full). */
    int capacity() {
        return capacity;
    }

    /** Bytes of the arrays now, headers included: they grow by doubling and never shrink. */
    long heapBytes() {
        return TableMemory.intArray(hot.length)
                + TableMemory.longArray(keys.length)
                + TableMemory.intArray(protocol.length)
                + TableMemory.longArray(streamTs.length)
                + TableMemory.byteArray(lastFlags.length)
                + TableMemory.byteArray(lastWscale.length)
                + TableMemory.intArray(mark.length);
    }

    private void resize(int n) {
        hot = hot == null ? new int[EntryLayout.length(n)] : Arrays.copyOf(hot, EntryLayout.length(n));
        keys = keys == null ? new long[4 * n] : Arrays.copyOf(keys, 4 * n);
        protocol = protocol == null ? new int[n] : Arrays.copyOf(protocol, n);
        streamTs = streamTs == null ? new long[n] : Arrays.copyOf(streamTs, n);
        lastFlags = lastFlags == null ? new byte[n] : Arrays.copyOf(lastFlags, n);
        lastWscale = lastWscale == null ? new byte[n] : Arrays.copyOf(lastWscale, n);
        mark = mark == null ? new int[n] : Arrays.copyOf(mark, n);
        capacity = n;
    }
}
