package io.kpsim.conntrack;

import java.util.Arrays;

/**
 * Packed struct-of-arrays storage of conntrack entries ({@code struct nf_conn} with
 * {@code struct ip_ct_tcp}), indexed by entry id, with a free list. The packet path reads and
 * writes these arrays directly, so looking up and updating an established connection allocates
 * nothing.
 *
 * <p>Per entry: both tuples as the table's two-long keys ({@code tuplehash[ORIGINAL]},
 * {@code tuplehash[REPLY]}), {@code status}, the absolute deadline (relative timeout while
 * unconfirmed, as {@code ct->timeout} before {@code __nf_conntrack_confirm}), and the TCP state.
 * Per direction ({@code entry * 2 + dir}): {@code seen[dir]} of {@code struct ip_ct_tcp_state}.
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

    /** Keys: {@code [4e]} original high, {@code [4e+1]} original low, {@code [4e+2/3]} reply. */
    long[] keys;
    int[] protocol;
    int[] status;
    long[] deadline;
    /** UDP {@code stream_ts} (absolute nanos). */
    long[] streamTs;
    byte[] tcpState;

    int[] tdEnd;
    int[] tdMaxEnd;
    int[] tdMaxWin;
    int[] tdMaxAck;
    byte[] tdScale;
    byte[] tdFlags;

    byte[] lastDir;
    byte[] lastIndex;
    byte[] lastFlags;
    byte[] lastWscale;
    int[] retrans;
    int[] lastSeq;
    int[] lastAck;
    int[] lastEnd;
    int[] lastWin;

    private int[] nextFree;
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
            freeHead = nextFree[e];
        } else {
            if (highWater == status.length) {
                resize(status.length * 2);
            }
            e = highWater++;
        }
        clear(e);
        live++;
        return e;
    }

    /** Returns an entry id to the free list. */
    void free(int e) {
        status[e] = FREE;
        nextFree[e] = freeHead;
        freeHead = e;
        live--;
    }

    /** Whether {@code e} is an allocated entry. */
    boolean inUse(int e) {
        return e >= 0 && e < highWater && status[e] != FREE;
    }

    /** Ids ever handed out (iteration bound). */
    int highWater() {
        return highWater;
    }

    /** Entries allocated and not freed. */
    int live() {
        return live;
    }

    /** Zeroes the TCP part of one direction ({@code nf_ct_tcp_state_reset} keeps BE_LIBERAL when asked). */
    void resetSeen(int d, boolean keepLiberal) {
        tdEnd[d] = 0;
        tdMaxEnd[d] = 0;
        tdMaxWin[d] = 0;
        tdMaxAck[d] = 0;
        tdScale[d] = 0;
        tdFlags[d] = (byte) (keepLiberal ? tdFlags[d] & F_BE_LIBERAL : 0);
    }

    private void clear(int e) {
        keys[4 * e] = 0;
        keys[4 * e + 1] = 0;
        keys[4 * e + 2] = 0;
        keys[4 * e + 3] = 0;
        protocol[e] = 0;
        status[e] = 0;
        deadline[e] = 0;
        streamTs[e] = 0;
        tcpState[e] = 0;
        resetSeen(2 * e, false);
        resetSeen(2 * e + 1, false);
        lastDir[e] = 0;
        lastIndex[e] = 0;
        lastFlags[e] = 0;
        lastWscale[e] = 0;
        retrans[e] = 0;
        lastSeq[e] = 0;
        lastAck[e] = 0;
        lastEnd[e] = 0;
        lastWin[e] = 0;
    }

    private void resize(int n) {
        keys = keys == null ? new long[4 * n] : Arrays.copyOf(keys, 4 * n);
        protocol = grow(protocol, n);
        status = grow(status, n);
        deadline = deadline == null ? new long[n] : Arrays.copyOf(deadline, n);
        streamTs = streamTs == null ? new long[n] : Arrays.copyOf(streamTs, n);
        tcpState = grow(tcpState, n);
        tdEnd = grow(tdEnd, 2 * n);
        tdMaxEnd = grow(tdMaxEnd, 2 * n);
        tdMaxWin = grow(tdMaxWin, 2 * n);
        tdMaxAck = grow(tdMaxAck, 2 * n);
        tdScale = grow(tdScale, 2 * n);
        tdFlags = grow(tdFlags, 2 * n);
        lastDir = grow(lastDir, n);
        lastIndex = grow(lastIndex, n);
        lastFlags = grow(lastFlags, n);
        lastWscale = grow(lastWscale, n);
        retrans = grow(retrans, n);
        lastSeq = grow(lastSeq, n);
        lastAck = grow(lastAck, n);
        lastEnd = grow(lastEnd, n);
        lastWin = grow(lastWin, n);
        nextFree = grow(nextFree, n);
    }

    private static int[] grow(int[] a, int n) {
        return a == null ? new int[n] : Arrays.copyOf(a, n);
    }

    private static byte[] grow(byte[] a, int n) {
        return a == null ? new byte[n] : Arrays.copyOf(a, n);
    }
}
