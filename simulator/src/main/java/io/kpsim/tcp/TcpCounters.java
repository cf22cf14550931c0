package io.kpsim.tcp;

import java.util.Arrays;

/**
 * A set of {@link TcpCounter}s: one per socket, one per stack (the stack's set is the sum over all
 * its sockets plus what no socket owned, such as RSTs for segments that matched nothing) - the
 * split between {@code ss -ti} and {@code nstat}.
 *
 * <p>Sparse, because there is one set per socket and most of a socket's counters stay zero for
 * its whole life (an idle connection has counted its handshake's segments and its establishment,
 * nothing else). Only counters that have been counted have a slot: {@link #present} has the bit of
 * each such counter's ordinal, and {@link #values} holds their values in ordinal order, so a
 * counter's slot is the number of present counters below it. The array grows by one slot the first
 * time a counter is counted, at most once per counter over a set's life (issue 17's memory per
 * connection: 56 bytes for an idle socket's set instead of 176). A socket keeps its set in two fields
 * of its own and hands out copies ({@link TcpSocket#counters}).
 */
public final class TcpCounters {

    private static final TcpCounter[] ALL = TcpCounter.values();
    private static final long[] NONE = new long[0];
    /**
     * The counter a socket keeps as its bit in {@code present} alone, with no slot: a connection is
     * established once, so its count is 0 or 1 (the stack's set counts it in a slot).
     */
    private static final int ONCE = 1 << TcpCounter.CONNECTIONS_ESTABLISHED.ordinal();

    /** Bit {@code ordinal} set: {@code values} has a slot for that counter. */
    private int present;

    private long[] values = NONE;

    TcpCounters() {}

    /**
     * A copy of a socket's set: its sparse {@code present} and {@code values} ({@link #addOnSocket})
     * and its segments out and in, unsigned 32-bit as the kernel's {@code tp->segs_out} and
     * {@code tp->segs_in}.
     */
    static TcpCounters copyOf(int present, long[] values, int segsOut, int segsIn) {
        TcpCounters copy = new TcpCounters();
        copy.present = present & ~ONCE;
        copy.values = values.length == 0 ? NONE : values.clone();
        copy.add(TcpCounter.CONNECTIONS_ESTABLISHED, (present & ONCE) == 0 ? 0 : 1);
        copy.add(TcpCounter.SEGMENTS_SENT, Integer.toUnsignedLong(segsOut));
        copy.add(TcpCounter.SEGMENTS_RECEIVED, Integer.toUnsignedLong(segsIn));
        return copy;
    }

    /** The current value of {@code counter}. */
    public long get(TcpCounter counter) {
        return get(present, values, counter.ordinal());
    }

    void add(TcpCounter counter, long amount) {
        int ordinal = counter.ordinal();
        values = add(present, values, ordinal, amount);
        present = presentAfter(present, ordinal, amount);
    }

    // The sparse layout as functions of (present, values), shared with TcpSocket, which holds its
    // set in two fields of its own rather than in an object of this class (issue 17's memory per
    // connection: one object header and one reference less per socket).

    /** Counter {@code ordinal}'s value in the set {@code present}/{@code values}. */
    static long get(int present, long[] values, int ordinal) {
        return (present & (1 << ordinal)) == 0 ? 0 : values[slot(present, ordinal)];
    }

    /**
     * Adds {@code amount} to counter {@code ordinal} and returns the values array afterwards: the
     * same one, or a copy one slot longer the first time the counter is counted. The caller then
     * updates its {@code present} with {@link #presentAfter}.
     */
    static long[] add(int present, long[] values, int ordinal, long amount) {
        int slot = slot(present, ordinal);
        if ((present & (1 << ordinal)) == 0) {
            if (amount == 0) {
                return values;
            }
            long[] grown = Arrays.copyOf(values, values.length + 1);
            System.arraycopy(values, slot, grown, slot + 1, values.length - slot);
            grown[slot] = amount;
            return grown;
        }
        values[slot] += amount;
        return values;
    }

    /**
     * {@link #add} for a socket's set, whose {@code CONNECTIONS_ESTABLISHED} is its bit in
     * {@code present} without a slot (an established socket that counted nothing else keeps no
     * array: 40 bytes less, issue 17).
     *
     * @throws IllegalStateException if a socket is counted as established twice (an internal error)
     */
    static long[] addOnSocket(int present, long[] values, int ordinal, long amount) {
        if ((1 << ordinal) != ONCE) {
            return add(present & ~ONCE, values, ordinal, amount);
        }
        if (amount != 1 || (present & ONCE) != 0) {
            throw new IllegalStateException("a connection counted " + amount + " more establishment(s)");
        }
        return values;
    }

    /** {@link #get} for a socket's set ({@link #addOnSocket}). */
    static long getOnSocket(int present, long[] values, int ordinal) {
        if ((1 << ordinal) == ONCE) {
            return (present & ONCE) == 0 ? 0 : 1;
        }
        return get(present & ~ONCE, values, ordinal);
    }

    /** {@code present} after {@link #add}: the counter has a slot once a non-zero amount was counted. */
    static int presentAfter(int present, int ordinal, long amount) {
        return amount == 0 ? present : present | (1 << ordinal);
    }

    /** The empty values array of a set that has counted nothing. */
    static long[] none() {
        return NONE;
    }

    private static int slot(int present, int ordinal) {
        return Integer.bitCount(present & ((1 << ordinal) - 1));
    }

    /** The non-zero counters as {@code name=value} pairs in declaration order. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (TcpCounter c : ALL) {
            long v = get(c);
            if (v != 0) {
                if (s.length() > 1) {
                    s.append(", ");
                }
                s.append(c.name().toLowerCase(java.util.Locale.ROOT))
                        .append('=')
                        .append(v);
            }
        }
        return s.append('}').toString();
    }
}
