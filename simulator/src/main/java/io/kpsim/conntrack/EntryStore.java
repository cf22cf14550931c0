package io.kpsim.conntrack;

import static io.kpsim.conntrack.EntryLayout.DEADLINE_HIGH;
import static io.kpsim.conntrack.EntryLayout.DEADLINE_LOW;
import static io.kpsim.conntrack.EntryLayout.LAST_ACK;
import static io.kpsim.conntrack.EntryLayout.LAST_DIR_MASK;
import static io.kpsim.conntrack.EntryLayout.LAST_DIR_SHIFT;
import static io.kpsim.conntrack.EntryLayout.LAST_END;
import static io.kpsim.conntrack.EntryLayout.LAST_INDEX_MASK;
import static io.kpsim.conntrack.EntryLayout.LAST_INDEX_SHIFT;
import static io.kpsim.conntrack.EntryLayout.LAST_SEQ;
import static io.kpsim.conntrack.EntryLayout.LAST_WIN_MASK;
import static io.kpsim.conntrack.EntryLayout.NEXT_FREE;
import static io.kpsim.conntrack.EntryLayout.RETRANS_MASK;
import static io.kpsim.conntrack.EntryLayout.RETRANS_SHIFT;
import static io.kpsim.conntrack.EntryLayout.SMALL;
import static io.kpsim.conntrack.EntryLayout.STATE_MASK;
import static io.kpsim.conntrack.EntryLayout.STATE_SHIFT;
import static io.kpsim.conntrack.EntryLayout.STATUS;
import static io.kpsim.conntrack.EntryLayout.TD_END;
import static io.kpsim.conntrack.EntryLayout.TD_FLAGS_BITS;
import static io.kpsim.conntrack.EntryLayout.TD_FLAGS_MASK;
import static io.kpsim.conntrack.EntryLayout.TD_FLAGS_SHIFT;
import static io.kpsim.conntrack.EntryLayout.TD_MAXACK;
import static io.kpsim.conntrack.EntryLayout.TD_MAXEND;
import static io.kpsim.conntrack.EntryLayout.TD_MAXWIN;
import static io.kpsim.conntrack.EntryLayout.TD_SCALE_BITS;
import static io.kpsim.conntrack.EntryLayout.TD_SCALE_MASK;
import static io.kpsim.conntrack.EntryLayout.TD_SCALE_SHIFT;
import static io.kpsim.conntrack.EntryLayout.WIN_RETRANS;
import static io.kpsim.conntrack.EntryLayout.line;
import static io.kpsim.conntrack.EntryLayout.seen;
import static io.kpsim.conntrack.TcpSeenFlags.F_BE_LIBERAL;

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
 * <p>Per direction accessors ({@code seen[dir]} of {@code struct ip_ct_tcp_state}, the tuple of
 * each direction) take a {@link TupleHashRef} {@code h}, which names the entry and the direction.
 * Every offset into these arrays is computed here and in {@link EntryLayout}, nowhere else.
 */
final class EntryStore {

    /** The status value of a free slot (no real status has all bits set). */
    static final int FREE = -1;

    /** The hot records, {@link EntryLayout#INTS} ints per entry. */
    private int[] hot;
    /**
     * The tuples as {@link ConnTable} keys, two longs per tuplehash: {@code [2h]} the high word,
     * {@code [2h + 1]} the low word of tuplehash {@code h}, so an entry's original tuple comes first,
     * its reply tuple second.
     */
    private long[] keys;

    private int[] protocol;
    /** UDP {@code stream_ts} (absolute nanos, relative while unconfirmed). */
    private long[] streamTs;

    private byte[] lastFlags;
    private byte[] lastWscale;
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
     * Loads the first word of entry {@code e}'s hot record and of its tuples, for
     * {@link EntryTable#prefetch}: the sum is meaningless, the loads are the point.
     */
    long touch(int e) {
        return hot[line(e)] + keys[2 * TupleHashRef.original(e)];
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
        return protocol[e];
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

    // ---- struct ip_ct_tcp: state, last_*, retrans

    /** {@code ct->proto.tcp.state}, a {@link TcpState} ordinal. */
    int tcpState(int e) {
        return (hot[line(e) + SMALL] >>> STATE_SHIFT) & STATE_MASK;
    }

    void setTcpState(int e, int state) {
        setSmall(e, STATE_SHIFT, STATE_MASK, state);
    }

    /** {@code last_dir}, a {@link CtDir} ordinal. */
    int lastDir(int e) {
        return hot[line(e) + SMALL] >>> LAST_DIR_SHIFT;
    }

    void setLastDir(int e, int dir) {
        setSmall(e, LAST_DIR_SHIFT, LAST_DIR_MASK, dir);
    }

    /** {@code last_index}, a {@link TcpConntrackTable} flag class. */
    int lastIndex(int e) {
        return (hot[line(e) + SMALL] >>> LAST_INDEX_SHIFT) & LAST_INDEX_MASK;
    }

    void setLastIndex(int e, int index) {
        setSmall(e, LAST_INDEX_SHIFT, LAST_INDEX_MASK, index);
    }

    int lastSeq(int e) {
        return hot[line(e) + LAST_SEQ];
    }

    void setLastSeq(int e, int seq) {
        hot[line(e) + LAST_SEQ] = seq;
    }

    int lastAck(int e) {
        return hot[line(e) + LAST_ACK];
    }

    void setLastAck(int e, int ack) {
        hot[line(e) + LAST_ACK] = ack;
    }

    int lastEnd(int e) {
        return hot[line(e) + LAST_END];
    }

    void setLastEnd(int e, int end) {
        hot[line(e) + LAST_END] = end;
    }

    /** {@code last_win}: a raw (u16) window. */
    int lastWin(int e) {
        return hot[line(e) + WIN_RETRANS] & LAST_WIN_MASK;
    }

    /** Stores a window of 0..65535 (the callers store raw windows, checked where they enter, or mask them). */
    void setLastWin(int e, int window) {
        int o = line(e) + WIN_RETRANS;
        hot[o] = (hot[o] & ~LAST_WIN_MASK) | (window & LAST_WIN_MASK);
    }

    /**
     * {@code retrans}: identical ACK-class segments in a row, modulo 256. The kernel's field is a
     * {@code u_int8_t} in {@code struct ip_ct_tcp} in every release 4.14 to 6.18
     * ({@code include/linux/netfilter/nf_conntrack_tcp.h}), so {@code state->retrans++} wraps 255
     * to 0 and the RETRANS timeout lets go until {@code tcp_max_retrans} more arrive.
     */
    int retrans(int e) {
        return (hot[line(e) + WIN_RETRANS] >>> RETRANS_SHIFT) & RETRANS_MASK;
    }

    /** {@code state->retrans++} on the u8. */
    void incrementRetrans(int e) {
        int o = line(e) + WIN_RETRANS;
        int next = ((hot[o] >>> RETRANS_SHIFT) + 1) & RETRANS_MASK;
        hot[o] = (hot[o] & LAST_WIN_MASK) | next << RETRANS_SHIFT;
    }

    void clearRetrans(int e) {
        hot[line(e) + WIN_RETRANS] &= LAST_WIN_MASK;
    }

    /** {@code last_flags} (SYN annotation, {@code IP_CT_EXP_CHALLENGE_ACK}, simultaneous open). */
    int lastFlags(int e) {
        return lastFlags[e] & 0xff;
    }

    void setLastFlags(int e, int flags) {
        lastFlags[e] = (byte) flags;
    }

    /** {@code last_wscale}: the window scale of an ignored SYN. */
    int lastWscale(int e) {
        return lastWscale[e];
    }

    void setLastWscale(int e, int wscale) {
        lastWscale[e] = (byte) wscale;
    }

    // ---- seen[dir], by the TupleHashRef h of the entry and direction

    int tdEnd(int h) {
        return hot[seen(h) + TD_END];
    }

    void setTdEnd(int h, int v) {
        hot[seen(h) + TD_END] = v;
    }

    int tdMaxEnd(int h) {
        return hot[seen(h) + TD_MAXEND];
    }

    void setTdMaxEnd(int h, int v) {
        hot[seen(h) + TD_MAXEND] = v;
    }

    int tdMaxWin(int h) {
        return hot[seen(h) + TD_MAXWIN];
    }

    void setTdMaxWin(int h, int v) {
        hot[seen(h) + TD_MAXWIN] = v;
    }

    int tdMaxAck(int h) {
        return hot[seen(h) + TD_MAXACK];
    }

    void setTdMaxAck(int h, int v) {
        hot[seen(h) + TD_MAXACK] = v;
    }

    /** {@code td_scale} (0..14). */
    int tdScale(int h) {
        return (hot[small(h)] >>> tdScaleShift(h)) & TD_SCALE_MASK;
    }

    void setTdScale(int h, int scale) {
        setSmall(TupleHashRef.entry(h), tdScaleShift(h), TD_SCALE_MASK, scale);
    }

    /** {@code flags} of {@code seen[dir]} ({@code IP_CT_TCP_FLAG_*}). */
    int tdFlags(int h) {
        return (hot[small(h)] >>> tdFlagsShift(h)) & TD_FLAGS_MASK;
    }

    void setTdFlags(int h, int flags) {
        setSmall(TupleHashRef.entry(h), tdFlagsShift(h), TD_FLAGS_MASK, flags);
    }

    /** Sets {@code bits} in {@code seen[dir].flags}. */
    void addTdFlags(int h, int bits) {
        hot[small(h)] |= (bits & TD_FLAGS_MASK) << tdFlagsShift(h);
    }

    /** Clears {@code bits} in {@code seen[dir].flags}. */
    void removeTdFlags(int h, int bits) {
        hot[small(h)] &= ~((bits & TD_FLAGS_MASK) << tdFlagsShift(h));
    }

    /** Both directions' flags ORed ({@code seen[0].flags | seen[1].flags}). */
    int tdFlagsEither(int e) {
        int small = hot[line(e) + SMALL] >>> TD_FLAGS_SHIFT;
        return (small | (small >>> TD_FLAGS_BITS)) & TD_FLAGS_MASK;
    }

    /** Zeroes the TCP part of one direction ({@code nf_ct_tcp_state_reset} keeps BE_LIBERAL when asked). */
    void resetSeen(int h, boolean keepLiberal) {
        setTdEnd(h, 0);
        setTdMaxEnd(h, 0);
        setTdMaxWin(h, 0);
        setTdMaxAck(h, 0);
        setTdScale(h, 0);
        setTdFlags(h, keepLiberal ? tdFlags(h) & F_BE_LIBERAL : 0);
    }

    /** Index of the {@link EntryLayout#SMALL} int of {@code h}'s entry. */
    private static int small(int h) {
        return line(TupleHashRef.entry(h)) + SMALL;
    }

    /** Where {@code h}'s direction keeps its {@code td_flags} byte in {@link EntryLayout#SMALL}. */
    private static int tdFlagsShift(int h) {
        return TD_FLAGS_SHIFT + TD_FLAGS_BITS * TupleHashRef.dir(h);
    }

    /** Where {@code h}'s direction keeps its {@code td_scale} in {@link EntryLayout#SMALL}. */
    private static int tdScaleShift(int h) {
        return TD_SCALE_SHIFT + TD_SCALE_BITS * TupleHashRef.dir(h);
    }

    private void setSmall(int e, int shift, int mask, int value) {
        int o = line(e) + SMALL;
        hot[o] = (hot[o] & ~(mask << shift)) | ((value & mask) << shift);
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
