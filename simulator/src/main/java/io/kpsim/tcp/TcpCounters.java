package io.kpsim.tcp;

/**
 * A set of {@link TcpCounter}s: one per socket, one per stack (the stack's set is the sum over all
 * its sockets plus what no socket owned, such as RSTs for segments that matched nothing) - the
 * split between {@code ss -ti} and {@code nstat}.
 */
public final class TcpCounters {

    private static final TcpCounter[] ALL = TcpCounter.values();

    private final long[] values = new long[ALL.length];

    TcpCounters() {}

    /** The current value of {@code counter}. */
    public long get(TcpCounter counter) {
        return values[counter.ordinal()];
    }

    void add(TcpCounter counter, long amount) {
        values[counter.ordinal()] += amount;
    }

    /** The non-zero counters as {@code name=value} pairs in declaration order. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (TcpCounter c : ALL) {
            long v = values[c.ordinal()];
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
