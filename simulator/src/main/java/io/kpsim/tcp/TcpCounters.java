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
 * connection: 56 bytes for an idle socket's set instead of 176).
 */
public final class TcpCounters {

    private static final TcpCounter[] ALL = TcpCounter.values();
    private static final long[] NONE = new long[0];

    /** Bit {@code ordinal} set: {@code values} has a slot for that counter. */
    private int present;

    private long[] values = NONE;

    TcpCounters() {}

    private int slot(int ordinal) {
        return Integer.bitCount(present & ((1 << ordinal) - 1));
    }

    /** The current value of {@code counter}. */
    public long get(TcpCounter counter) {
        int ordinal = counter.ordinal();
        return (present & (1 << ordinal)) == 0 ? 0 : values[slot(ordinal)];
    }

    void add(TcpCounter counter, long amount) {
        int ordinal = counter.ordinal();
        int slot = slot(ordinal);
        if ((present & (1 << ordinal)) == 0) {
            if (amount == 0) {
                return;
            }
            long[] grown = Arrays.copyOf(values, values.length + 1);
            System.arraycopy(values, slot, grown, slot + 1, values.length - slot);
            grown[slot] = 0;
            values = grown;
            present |= 1 << ordinal;
        }
        values[slot] += amount;
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
