package io.kpsim.conntrack;

/**
 * Reads a conntrack entry's window tracking ({@code seen[dir]}) for tests outside this package:
 * the report's tests use it to give the HTML report real {@code td_end}/{@code td_maxend} values,
 * the way a trace that records entries will.
 */
public final class WindowPeek {

    private WindowPeek() {}

    /**
     * {@code {td_end, td_maxend, td_maxwin, td_scale}} of {@code entry}'s direction {@code dir},
     * the sequence numbers unsigned.
     */
    public static long[] seen(Conntrack conntrack, int entry, CtDir dir) {
        EntryStore s = conntrack.store();
        int d = 2 * entry + dir.ordinal();
        return new long[] {
            Integer.toUnsignedLong(s.tdEnd(d)),
            Integer.toUnsignedLong(s.tdMaxEnd(d)),
            Integer.toUnsignedLong(s.tdMaxWin(d)),
            s.tdScale(d)
        };
    }
}
