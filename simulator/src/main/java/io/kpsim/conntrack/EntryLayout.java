package io.kpsim.conntrack;

/**
 * The record layout of one conntrack entry's hot state in {@link EntryStore}'s interleaved
 * {@code int[]}: everything an established TCP packet reads or writes after the table lookup
 * ({@code ct->status}, {@code ct->timeout}, and {@code struct ip_ct_tcp} with both
 * {@code seen[]} directions; for UDP, {@code stream_ts}) in sixteen ints, one 64-byte cache line,
 * in the style of Agrona's {@code RecordDescriptor}. Rarely used fields (the tuples, and in their words' spare bits
 * the protocol, the zone and the SYN annotations {@code last_flags}/{@code last_wscale}; the mark)
 * live in separate arrays.
 *
 * <pre>
 *   one int per row, most significant bit first (as {@link ConnTable}'s slot diagram); the
 *   ruler gives bit positions, the shifts of the constants below
 *    3 3 2 2 2 2 2 2 2 2 2 2 1 1 1 1 1 1 1 1 1 1
 *    1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0
 *   +---------------------------------------------------------------+
 *   |                     status (IPS_* bits)                       |  0
 *   +---------------------------------------------------------------+
 *   |                  deadline, low 32 bits (ns)                   |  1
 *   +---------------------------------------------------------------+
 *   |                  deadline, high 32 bits (ns)                  |  2
 *   +-+-----+-------+-------+-------+---------------+---------------+
 *   |d|index| state |scale1 |scale0 |  td_flags[1]  |  td_flags[0]  |  3
 *   +-+-----+-------+-------+-------+---------------+---------------+
 *   |         retrans (u8)          |           last_win            |  4
 *   +-------------------------------+-------------------------------+
 *   |       last_seq (UDP: stream_ts, low 32 bits, in ns)           |  5
 *   |       last_ack (UDP: stream_ts, high 32 bits)                 |  6
 *   |                           last_end                            |  7
 *   +---------------------------------------------------------------+
 *   |        seen[ORIGINAL]: td_end, td_maxend, td_maxwin,          |  8..11
 *   |                        td_maxack                              |
 *   +---------------------------------------------------------------+
 *   |        seen[REPLY]:    td_end, td_maxend, td_maxwin,          | 12..15
 *   |                        td_maxack                              |
 *   +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The narrow fields are as wide as the kernel's ({@code last_win} is a {@code u16} there too):
 * {@code td_scale} is at most 14 ({@code tcp_options()} clamps it), {@code state} is a
 * {@link TcpState} ordinal, {@code index} ({@code last_index}) a {@link TcpConntrackTable} flag
 * class and {@code d} ({@code last_dir}, bit 31) a {@link CtDir} ordinal; {@code EntryLayoutTest}
 * pins that each type fits its field. {@code retrans} wraps at 256 as the kernel's {@code u8}
 * does. A free entry keeps
 * {@link EntryStore#FREE} in row 0 and the next free entry's id in row 5.
 *
 * <p>Entries start {@link #LEAD_PAD} ints into the array: with HotSpot's 16-byte array header
 * (compressed class pointers) that puts every entry on a cache-line boundary whenever the array
 * itself starts on one, as G1 places large ("humongous") arrays at a region boundary.
 */
final class EntryLayout {

    /** Ints per entry: one 64-byte cache line. */
    static final int INTS = 16;
    /** log2 of {@link #INTS}. */
    static final int SHIFT = 4;
    /** Ints before entry 0 (48 bytes, which with the 16-byte array header make 64). */
    static final int LEAD_PAD = 12;

    /** {@code ct->status}; {@link EntryStore#FREE} for a free entry. */
    static final int STATUS = 0;
    /** Low half of the deadline (absolute nanos, or the relative timeout while unconfirmed). */
    static final int DEADLINE_LOW = 1;
    /** High half of the deadline. */
    static final int DEADLINE_HIGH = 2;
    /**
     * {@code td_flags} and {@code td_scale} of both directions, {@code state}, {@code last_index},
     * {@code last_dir}.
     */
    static final int SMALL = 3;
    /** {@code last_win} (low 16 bits) and the u8 {@code retrans} (high 16 bits). */
    static final int WIN_RETRANS = 4;
    /** {@code last_seq}. */
    static final int LAST_SEQ = 5;
    /** {@code last_ack}. */
    static final int LAST_ACK = 6;
    /** {@code last_end}. */
    static final int LAST_END = 7;
    /** {@code seen[ORIGINAL]}; {@code seen[REPLY]} follows {@link #SEEN_INTS} later. */
    static final int SEEN = 8;
    /** Ints per {@code seen[]} direction. */
    static final int SEEN_INTS = 4;
    /** {@code td_end}, within a {@code seen[]} direction. */
    static final int TD_END = 0;
    /** {@code td_maxend}, within a {@code seen[]} direction. */
    static final int TD_MAXEND = 1;
    /** {@code td_maxwin}, within a {@code seen[]} direction. */
    static final int TD_MAXWIN = 2;
    /** {@code td_maxack}, within a {@code seen[]} direction. */
    static final int TD_MAXACK = 3;
    /**
     * UDP's {@code stream_ts}, low half: UDP entries use neither {@code last_seq} nor
     * {@code last_ack}, so the 64-bit timestamp takes their rows (TCP's entries never read it).
     */
    static final int STREAM_TS_LOW = LAST_SEQ;
    /** UDP's {@code stream_ts}, high half. */
    static final int STREAM_TS_HIGH = LAST_ACK;
    /** A free entry keeps the next free entry's id here. */
    static final int NEXT_FREE = LAST_SEQ;

    /** Bit position of ORIGINAL's {@code td_flags} in {@link #SMALL}; REPLY's follows {@link #TD_FLAGS_BITS} higher. */
    static final int TD_FLAGS_SHIFT = 0;
    /** Width of one direction's {@code td_flags}. */
    static final int TD_FLAGS_BITS = 8;
    /** Bit position of ORIGINAL's {@code td_scale} in {@link #SMALL}; REPLY's follows {@link #TD_SCALE_BITS} higher. */
    static final int TD_SCALE_SHIFT = 16;
    /** Width of one direction's {@code td_scale}. */
    static final int TD_SCALE_BITS = 4;
    /** Bit position of the TCP state (4 bits) in {@link #SMALL}. */
    static final int STATE_SHIFT = 24;
    /** Bit position of {@code last_index} (3 bits) in {@link #SMALL}. */
    static final int LAST_INDEX_SHIFT = 28;
    /** Bit position of {@code last_dir} (1 bit) in {@link #SMALL}. */
    static final int LAST_DIR_SHIFT = 31;
    /** Mask of one {@code td_flags} byte. */
    static final int TD_FLAGS_MASK = (1 << TD_FLAGS_BITS) - 1;
    /** Mask of one {@code td_scale}. */
    static final int TD_SCALE_MASK = (1 << TD_SCALE_BITS) - 1;
    /** Mask of the TCP state. */
    static final int STATE_MASK = 0xf;
    /** Mask of {@code last_index}. */
    static final int LAST_INDEX_MASK = 0x7;
    /** Mask of {@code last_dir}. */
    static final int LAST_DIR_MASK = 0x1;
    /** Mask of {@code last_win} in {@link #WIN_RETRANS}. */
    static final int LAST_WIN_MASK = 0xffff;
    /** Bit position of {@code retrans} in {@link #WIN_RETRANS}. */
    static final int RETRANS_SHIFT = 16;
    /** {@code retrans} is a {@code u_int8_t}. */
    static final int RETRANS_MASK = 0xff;

    // ---- the tuples' words (EntryStore's keys: two longs per tuplehash, high then low)

    /**
     * Bits of a tuple's low word that hold the key ({@link ConnTable#keyLow}: protocol and ports);
     * the 24 above it carry an entry's cold one-byte and two-byte fields, so they need no array
     * of their own: the original tuple's word the protocol and the zone, the reply's the SYN
     * annotations.
     */
    static final int KEY_LOW_BITS = 40;
    /** Mask of the key in a tuple's low word. */
    static final long KEY_LOW_MASK = (1L << KEY_LOW_BITS) - 1;
    /** The IP protocol number (8 bits) in the original tuple's low word. */
    static final int PROTOCOL_SHIFT = 40;
    /** The conntrack zone ({@code ct->zone.id}, a u16) in the original tuple's low word. */
    static final int ZONE_SHIFT = 48;
    /** {@code last_flags} (a u8) in the reply tuple's low word. */
    static final int LAST_FLAGS_SHIFT = 40;
    /** {@code last_wscale} (a u8) in the reply tuple's low word. */
    static final int LAST_WSCALE_SHIFT = 48;

    private EntryLayout() {}

    /** Index of entry {@code e}'s first int. */
    static int line(int e) {
        return LEAD_PAD + (e << SHIFT);
    }

    /** Index of the first int of {@code seen[dir]} of the entry and direction {@link TupleHashRef} {@code h} names. */
    static int seen(int h) {
        return line(TupleHashRef.entry(h)) + SEEN + TupleHashRef.dir(h) * SEEN_INTS;
    }

    /** Array length for {@code entries} entries. */
    static int length(int entries) {
        return LEAD_PAD + entries * INTS;
    }
}
