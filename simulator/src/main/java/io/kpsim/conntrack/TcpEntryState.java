package io.kpsim.conntrack;

import static io.kpsim.conntrack.EntryLayout.LAST_ACK;
import static io.kpsim.conntrack.EntryLayout.LAST_DIR_MASK;
import static io.kpsim.conntrack.EntryLayout.LAST_DIR_SHIFT;
import static io.kpsim.conntrack.EntryLayout.LAST_END;
import static io.kpsim.conntrack.EntryLayout.LAST_FLAGS_SHIFT;
import static io.kpsim.conntrack.EntryLayout.LAST_INDEX_MASK;
import static io.kpsim.conntrack.EntryLayout.LAST_INDEX_SHIFT;
import static io.kpsim.conntrack.EntryLayout.LAST_SEQ;
import static io.kpsim.conntrack.EntryLayout.LAST_WIN_MASK;
import static io.kpsim.conntrack.EntryLayout.LAST_WSCALE_SHIFT;
import static io.kpsim.conntrack.EntryLayout.RETRANS_MASK;
import static io.kpsim.conntrack.EntryLayout.RETRANS_SHIFT;
import static io.kpsim.conntrack.EntryLayout.SMALL;
import static io.kpsim.conntrack.EntryLayout.STATE_MASK;
import static io.kpsim.conntrack.EntryLayout.STATE_SHIFT;
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

/**
 * The {@code struct ip_ct_tcp} part of a packed conntrack entry
 * ({@code include/linux/netfilter/nf_conntrack_tcp.h}): the TCP state, the {@code last_*}
 * annotations of the previous segment, {@code retrans}, and each direction's
 * {@code struct ip_ct_tcp_state seen[2]} ({@code td_end}, {@code td_maxend}, {@code td_maxwin},
 * {@code td_maxack}, {@code td_scale}, {@code flags}). {@link EntryStore}
 * allocates, grows and frees the arrays; this class only reads and writes fields of an allocated
 * entry, so the TCP tracker's accessors sit apart from the entry's life cycle and its tuples.
 *
 * <p>Most of these fields live in the entry's 64-byte hot record ({@link EntryLayout}); the two
 * SYN annotations that are read only on handshake paths sit in the spare bits of the reply tuple's
 * low word ({@link EntryLayout#LAST_FLAGS_SHIFT}). Entry-wide
 * accessors take the entry id {@code e}, per direction ones a {@link TupleHashRef} {@code h}.
 */
abstract class TcpEntryState {

    /** The hot records, {@link EntryLayout#INTS} ints per entry ({@link EntryStore} sizes them). */
    int[] hot;

    /**
     * The tuples, two longs per tuplehash ({@link EntryStore} sizes and keeps them); the reply
     * tuple's low word carries {@code last_flags} and {@code last_wscale} above its key
     * ({@link EntryLayout#LAST_FLAGS_SHIFT}).
     */
    long[] keys;

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
        return keyField(replyLow(e), LAST_FLAGS_SHIFT, 0xff);
    }

    void setLastFlags(int e, int flags) {
        setKeyField(replyLow(e), LAST_FLAGS_SHIFT, 0xff, flags);
    }

    /** {@code last_wscale}: the window scale of an ignored SYN. */
    int lastWscale(int e) {
        return (byte) keyField(replyLow(e), LAST_WSCALE_SHIFT, 0xff);
    }

    void setLastWscale(int e, int wscale) {
        setKeyField(replyLow(e), LAST_WSCALE_SHIFT, 0xff, wscale);
    }

    /** Index in {@link #keys} of entry {@code e}'s reply tuple's low word. */
    static int replyLow(int e) {
        return 2 * TupleHashRef.reply(e) + 1;
    }

    /**
     * The field of {@code mask}'s width at bit {@code shift} of {@link #keys}' word {@code w}: an
     * entry's cold field kept in the spare bits above a tuple's key ({@link EntryLayout#KEY_LOW_BITS}).
     */
    final int keyField(int w, int shift, long mask) {
        return (int) ((keys[w] >>> shift) & mask);
    }

    /** Sets that field to {@code value}'s low bits; the key and the other fields of the word stay. */
    final void setKeyField(int w, int shift, long mask, long value) {
        keys[w] = (keys[w] & ~(mask << shift)) | ((value & mask) << shift);
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
}
