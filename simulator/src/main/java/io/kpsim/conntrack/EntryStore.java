package io.kpsim.conntrack;

import static io.kpsim.conntrack.EntryLayout.DEADLINE_HIGH;
import static io.kpsim.conntrack.EntryLayout.DEADLINE_LOW;
import static io.kpsim.conntrack.EntryLayout.LAST_ACK;
import static io.kpsim.conntrack.EntryLayout.LAST_DIR_SHIFT;
import static io.kpsim.conntrack.EntryLayout.LAST_END;
import static io.kpsim.conntrack.EntryLayout.LAST_INDEX_MASK;
import static io.kpsim.conntrack.EntryLayout.LAST_INDEX_SHIFT;
import static io.kpsim.conntrack.EntryLayout.LAST_SEQ;
import static io.kpsim.conntrack.EntryLayout.LAST_WIN_MASK;
import static io.kpsim.conntrack.EntryLayout.NEXT_FREE;
import static io.kpsim.conntrack.EntryLayout.RETRANS_SATURATED;
import static io.kpsim.conntrack.EntryLayout.RETRANS_SHIFT;
import static io.kpsim.conntrack.EntryLayout.SMALL;
import static io.kpsim.conntrack.EntryLayout.STATE_MASK;
import static io.kpsim.conntrack.EntryLayout.STATE_SHIFT;
import static io.kpsim.conntrack.EntryLayout.STATUS;
import static io.kpsim.conntrack.EntryLayout.TD_END;
import static io.kpsim.conntrack.EntryLayout.TD_FLAGS_MASK;
import static io.kpsim.conntrack.EntryLayout.TD_FLAGS_SHIFT;
import static io.kpsim.conntrack.EntryLayout.TD_MAXACK;
import static io.kpsim.conntrack.EntryLayout.TD_MAXEND;
import static io.kpsim.conntrack.EntryLayout.TD_MAXWIN;
import static io.kpsim.conntrack.EntryLayout.TD_SCALE_MASK;
import static io.kpsim.conntrack.EntryLayout.TD_SCALE_SHIFT;
import static io.kpsim.conntrack.EntryLayout.WIN_RETRANS;
import static io.kpsim.conntrack.EntryLayout.line;
import static io.kpsim.conntrack.EntryLayout.seen;

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
 * <p>Per direction accessors take a slot {@code d = entry * 2 + dir} ({@code seen[dir]} of
 * {@code struct ip_ct_tcp_state}).
 */
final class EntryStore {

    /** {@code IP_CT_TCP_FLAG_WINDOW_SCALE}. */
    static final int F_WINDOW_SCALE = 0x01;
    /** {@code IP_CT_TCP_FLAG_SACK_PERM}. */
    static final int F_SACK_PERM = 0x02;
    /** {@code IP_CT_TCP_FLAG_CLOSE_INIT}: this direction sent the first FIN. */
    static final int F_CLOSE_INIT = 0x04;
    /** {@code IP_CT_TCP_FLAG_BE_LIBERAL}. */
    static final int F_BE_LIBERAL = 0x08;
    /** {@code IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED}. */
    static final int F_DATA_UNACKNOWLEDGED = 0x10;
    /** {@code IP_CT_TCP_FLAG_MAXACK_SET}. */
    static final int F_MAXACK_SET = 0x20;
    /** {@code IP_CT_EXP_CHALLENGE_ACK} (in {@code last_flags}). */
    static final int F_EXP_CHALLENGE_ACK = 0x40;
    /** {@code IP_CT_TCP_SIMULTANEOUS_OPEN} (in {@code last_flags}). */
    static final int F_SIMULTANEOUS_OPEN = 0x80;

    /** The status value of a free slot (no real status has all bits set). */
    static final int FREE = -1;

    /** The hot records, {@link EntryLayout#INTS} ints per entry. */
    private int[] hot;
    /** Keys: {@code [4e]} original high, {@code [4e+1]} original low, {@code [4e+2/3]} reply. */
    long[] keys;

    int[] protocol;
    /** UDP {@code stream_ts} (absolute nanos). */
    long[] streamTs;

    private byte[] lastFlags;
    private byte[] lastWscale;
    /** Retransmissions beyond {@link EntryLayout#RETRANS_SATURATED}; read only while saturated. */
    private int[] retransOverflow;

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

    /** Returns an entry id to the free list. */
    void free(int e) {
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

    /**
     * Loads the first word of entry {@code e}'s hot record and of its tuples, for
     * {@link EntryTable#prefetch}: the sum is meaningless, the loads are the point.
     */
    long touch(int e) {
        return hot[line(e)] + keys[4 * e];
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
        setSmall(e, LAST_DIR_SHIFT, 1, dir);
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

    /** {@code retrans}: identical ACK-class segments in a row. */
    int retrans(int e) {
        int inline = hot[line(e) + WIN_RETRANS] >>> RETRANS_SHIFT;
        return inline == RETRANS_SATURATED ? inline + retransOverflow[e] : inline;
    }

    void incrementRetrans(int e) {
        int o = line(e) + WIN_RETRANS;
        if (hot[o] >>> RETRANS_SHIFT == RETRANS_SATURATED) {
            retransOverflow[e]++;
        } else {
            hot[o] += 1 << RETRANS_SHIFT;
        }
    }

    void clearRetrans(int e) {
        int o = line(e) + WIN_RETRANS;
        if (hot[o] >>> RETRANS_SHIFT == RETRANS_SATURATED) {
            retransOverflow[e] = 0;
        }
        hot[o] &= LAST_WIN_MASK;
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

    // ---- seen[dir], by slot d = 2 * entry + dir

    int tdEnd(int d) {
        return hot[seen(d) + TD_END];
    }

    void setTdEnd(int d, int v) {
        hot[seen(d) + TD_END] = v;
    }

    int tdMaxEnd(int d) {
        return hot[seen(d) + TD_MAXEND];
    }

    void setTdMaxEnd(int d, int v) {
        hot[seen(d) + TD_MAXEND] = v;
    }

    int tdMaxWin(int d) {
        return hot[seen(d) + TD_MAXWIN];
    }

    void setTdMaxWin(int d, int v) {
        hot[seen(d) + TD_MAXWIN] = v;
    }

    int tdMaxAck(int d) {
        return hot[seen(d) + TD_MAXACK];
    }

    void setTdMaxAck(int d, int v) {
        hot[seen(d) + TD_MAXACK] = v;
    }

    /** {@code td_scale} (0..14). */
    int tdScale(int d) {
        return (hot[line(d >> 1) + SMALL] >>> (TD_SCALE_SHIFT + 4 * (d & 1))) & TD_SCALE_MASK;
    }

    void setTdScale(int d, int scale) {
        setSmall(d >> 1, TD_SCALE_SHIFT + 4 * (d & 1), TD_SCALE_MASK, scale);
    }

    /** {@code flags} of {@code seen[dir]} ({@code IP_CT_TCP_FLAG_*}). */
    int tdFlags(int d) {
        return (hot[line(d >> 1) + SMALL] >>> (TD_FLAGS_SHIFT + 8 * (d & 1))) & TD_FLAGS_MASK;
    }

    void setTdFlags(int d, int flags) {
        setSmall(d >> 1, TD_FLAGS_SHIFT + 8 * (d & 1), TD_FLAGS_MASK, flags);
    }

    /** Sets {@code bits} in {@code seen[dir].flags}. */
    void addTdFlags(int d, int bits) {
        hot[line(d >> 1) + SMALL] |= (bits & TD_FLAGS_MASK) << (TD_FLAGS_SHIFT + 8 * (d & 1));
    }

    /** Clears {@code bits} in {@code seen[dir].flags}. */
    void removeTdFlags(int d, int bits) {
        hot[line(d >> 1) + SMALL] &= ~((bits & TD_FLAGS_MASK) << (TD_FLAGS_SHIFT + 8 * (d & 1)));
    }

    /** Both directions' flags ORed ({@code seen[0].flags | seen[1].flags}). */
    int tdFlagsEither(int e) {
        int small = hot[line(e) + SMALL] >>> TD_FLAGS_SHIFT;
        return (small | (small >>> 8)) & TD_FLAGS_MASK;
    }

    /** Zeroes the TCP part of one direction ({@code nf_ct_tcp_state_reset} keeps BE_LIBERAL when asked). */
    void resetSeen(int d, boolean keepLiberal) {
        setTdEnd(d, 0);
        setTdMaxEnd(d, 0);
        setTdMaxWin(d, 0);
        setTdMaxAck(d, 0);
        setTdScale(d, 0);
        setTdFlags(d, keepLiberal ? tdFlags(d) & F_BE_LIBERAL : 0);
    }

    private void setSmall(int e, int shift, int mask, int value) {
        int o = line(e) + SMALL;
        hot[o] = (hot[o] & ~(mask << shift)) | ((value & mask) << shift);
    }

    private void clear(int e) {
        Arrays.fill(hot, line(e), line(e) + EntryLayout.INTS, 0);
        keys[4 * e] = 0;
        keys[4 * e + 1] = 0;
        keys[4 * e + 2] = 0;
        keys[4 * e + 3] = 0;
        protocol[e] = 0;
        streamTs[e] = 0;
        lastFlags[e] = 0;
        lastWscale[e] = 0;
        retransOverflow[e] = 0;
    }

    private void resize(int n) {
        hot = hot == null ? new int[EntryLayout.length(n)] : Arrays.copyOf(hot, EntryLayout.length(n));
        keys = keys == null ? new long[4 * n] : Arrays.copyOf(keys, 4 * n);
        protocol = protocol == null ? new int[n] : Arrays.copyOf(protocol, n);
        streamTs = streamTs == null ? new long[n] : Arrays.copyOf(streamTs, n);
        lastFlags = lastFlags == null ? new byte[n] : Arrays.copyOf(lastFlags, n);
        lastWscale = lastWscale == null ? new byte[n] : Arrays.copyOf(lastWscale, n);
        retransOverflow = retransOverflow == null ? new int[n] : Arrays.copyOf(retransOverflow, n);
        capacity = n;
    }
}
