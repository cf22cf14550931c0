package io.kpsim.tcp;

import io.kpsim.packet.SackBlock;
import java.util.Arrays;
import java.util.List;

/**
 * The sender's record of which bytes above SND.UNA the receiver has SACKed (RFC 2018 §5,
 * RFC 6675's scoreboard without its pipe estimate), as sorted, disjoint ranges of stream
 * offsets. Used to skip SACKed data when retransmitting and to find the holes worth
 * retransmitting in fast recovery.
 *
 * <p>A sender makes its scoreboard on the first SACK block and lets it go once SND.UNA has passed
 * every SACKed range (issue 17's memory per connection: an idle connection holds none). The static
 * forms of the queries take that {@code null} as the empty scoreboard.
 */
final class SackScoreboard {

    /** The arrays before the first SACK block (empty, so never written): most senders never see one. */
    private static final long[] NO_BLOCKS = new long[0];
    /** Room for blocks made on the first SACK block. */
    private static final int FIRST_BLOCKS = 8;

    private long[] starts = NO_BLOCKS;
    private long[] ends = NO_BLOCKS;
    private int count;

    boolean isEmpty() {
        return count == 0;
    }

    /**
     * Records an ACK's SACK blocks, given the sequence number {@code unaSeq} of stream offset
     * {@code una}; blocks outside {@code [una, max)} are ignored. Returns whether the first block
     * was a D-SACK (RFC 2883 §4: it lies below the cumulative ACK {@code ackSeq}).
     */
    boolean record(List<SackBlock> blocks, int ackSeq, int unaSeq, long una, long max) {
        boolean dsack = false;
        long ack = una + (ackSeq - unaSeq);
        for (int i = 0; i < blocks.size(); i++) {
            long left = una + (blocks.get(i).left() - unaSeq);
            long right = una + (blocks.get(i).right() - unaSeq);
            if (i == 0 && left < ack) {
                dsack = true;
            } else if (left >= una && right <= max && right > left) {
                add(left, right);
            }
        }
        return dsack;
    }

    /** Records that the receiver holds {@code [start, end)}. */
    void add(long start, long end) {
        if (end <= start) {
            return;
        }
        int i = 0;
        while (i < count && ends[i] < start) {
            i++;
        }
        int j = i;
        long s = start;
        long e = end;
        while (j < count && starts[j] <= e) {
            s = Math.min(s, starts[j]);
            e = Math.max(e, ends[j]);
            j++;
        }
        int removed = j - i;
        if (removed == 0) {
            if (count == starts.length) {
                int room = Math.max(FIRST_BLOCKS, count * 2);
                starts = Arrays.copyOf(starts, room);
                ends = Arrays.copyOf(ends, room);
            }
            System.arraycopy(starts, i, starts, i + 1, count - i);
            System.arraycopy(ends, i, ends, i + 1, count - i);
            count++;
        } else if (removed > 1) {
            System.arraycopy(starts, j, starts, i + 1, count - j);
            System.arraycopy(ends, j, ends, i + 1, count - j);
            count -= removed - 1;
        }
        starts[i] = s;
        ends[i] = e;
    }

    /** Forgets everything below {@code una}, which is now cumulatively acknowledged. */
    void discardBelow(long una) {
        int drop = 0;
        while (drop < count && ends[drop] <= una) {
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(starts, drop, starts, 0, count - drop);
            System.arraycopy(ends, drop, ends, 0, count - drop);
            count -= drop;
        }
        if (count > 0 && starts[0] < una) {
            starts[0] = una;
        }
    }

    /** Forgets everything (the receiver may have reneged; Linux clears on RTO only then). */
    void clear() {
        count = 0;
    }

    /** The end of the SACKed range containing {@code offset}, or {@code offset} if not SACKed. */
    long skipSacked(long offset) {
        for (int i = 0; i < count && starts[i] <= offset; i++) {
            if (offset < ends[i]) {
                return ends[i];
            }
        }
        return offset;
    }

    /** The start of the first SACKed range above {@code offset}, or {@code Long.MAX_VALUE}. */
    long nextSackedStart(long offset) {
        for (int i = 0; i < count; i++) {
            if (starts[i] > offset) {
                return starts[i];
            }
        }
        return Long.MAX_VALUE;
    }

    /** The highest SACKed offset (exclusive), or -1 when nothing is SACKed. */
    long highestSacked() {
        return count == 0 ? -1 : ends[count - 1];
    }

    /**
     * The first un-SACKed offset at or after {@code from} that lies below the highest SACKed
     * byte - a hole the receiver is evidently missing - or -1 when there is none.
     */
    long nextHole(long from) {
        long candidate = skipSacked(from);
        return candidate < highestSacked() ? candidate : -1;
    }

    /** {@code board}, or {@code null} when it holds no range: the sender keeps no empty scoreboard. */
    static SackScoreboard keptOrNull(SackScoreboard board) {
        return board.isEmpty() ? null : board;
    }

    /** {@link #skipSacked(long)} of {@code board}, where {@code null} has nothing SACKed. */
    static long skipSacked(SackScoreboard board, long offset) {
        return board == null ? offset : board.skipSacked(offset);
    }

    /** {@link #nextSackedStart(long)} of {@code board}, where {@code null} has nothing SACKed. */
    static long nextSackedStart(SackScoreboard board, long offset) {
        return board == null ? Long.MAX_VALUE : board.nextSackedStart(offset);
    }

    /** {@link #nextHole(long)} of {@code board}, where {@code null} has no hole. */
    static long nextHole(SackScoreboard board, long from) {
        return board == null ? -1 : board.nextHole(from);
    }
}
