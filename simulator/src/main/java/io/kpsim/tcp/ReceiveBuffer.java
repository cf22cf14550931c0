package io.kpsim.tcp;

import java.util.Arrays;

/**
 * The receive side's byte accounting: in-order data waiting for the application, out-of-order
 * ranges held for reassembly (Linux's {@code out_of_order_queue}), the FIN's position, and the
 * SACK and D-SACK blocks to report (RFC 2018 §4, RFC 2883).
 *
 * <p>Positions are 64-bit stream offsets from the peer's ISN (offset 0 is its SYN), so nothing
 * here needs serial arithmetic; {@link TcpReceiver} converts to and from sequence numbers.
 */
final class ReceiveBuffer {

    /** What an arriving range did to the buffer. */
    enum Arrival {
        /** It advanced RCV.NXT. */
        IN_ORDER,
        /** It lies beyond RCV.NXT and was queued for reassembly. */
        OUT_OF_ORDER,
        /** Every byte of it had already arrived. */
        DUPLICATE,
        /** No byte of it fits in the advertised window (decided by {@link TcpReceiver}). */
        OUTSIDE_WINDOW
    }

    /** The range arrays before the first out-of-order arrival (empty, so never written). */
    private static final long[] NO_RANGES = new long[0];

    private static final boolean[] NO_FLAGS = new boolean[0];
    /** Room for ranges made on the first out-of-order arrival. */
    private static final int FIRST_RANGES = 8;

    private long next = 1;
    private long queued;
    private long outOfOrderBytes;
    private long finOffset = -1;
    private boolean finConsumed;
    private boolean filledHole;

    // The out-of-order ranges. Most connections never hold one, so the arrays are made on the first
    // (eight ranges, doubling after): an idle connection then carries no range arrays at all.
    private long[] starts = NO_RANGES;
    private long[] ends = NO_RANGES;
    /** Arrival stamp of each out-of-order range; the newest comes first in SACK (RFC 2018 §4). */
    private long[] stamps = NO_RANGES;
    /** Scratch for {@link #sackBlocks}: which ranges are already reported. */
    private boolean[] reported = NO_FLAGS;

    private int count;
    private long clock;

    private long dsackStart;
    private long dsackEnd;
    private boolean dsackPending;

    /** RCV.NXT as a stream offset. */
    long next() {
        return next;
    }

    /** In-order bytes the application has not read yet. */
    long queued() {
        return queued;
    }

    /** Bytes held out of order. */
    long outOfOrderBytes() {
        return outOfOrderBytes;
    }

    /** Whether the FIN has been reached in order (RCV.NXT counted it). */
    boolean finConsumed() {
        return finConsumed;
    }

    /** Whether the last in-order arrival also merged out-of-order data (a hole was filled). */
    boolean filledHole() {
        return filledHole;
    }

    /**
     * Accepts the data range {@code [start, end)} (already trimmed to the window), followed by a
     * FIN when {@code fin}.
     */
    Arrival accept(long start, long end, boolean fin) {
        filledHole = false;
        if (fin && finOffset < 0) {
            finOffset = end;
        }
        Arrival arrival;
        if (end <= next && !(fin && end == next && !finConsumed)) {
            arrival = Arrival.DUPLICATE;
            if (end > start) {
                reportDuplicate(start, end);
            }
        } else if (start <= next) {
            arrival = Arrival.IN_ORDER;
            advanceTo(end);
            while (count > 0 && starts[0] <= next) {
                filledHole = true;
                long blockEnd = ends[0];
                outOfOrderBytes -= ends[0] - starts[0];
                removeFirst();
                advanceTo(blockEnd);
            }
        } else {
            arrival = insertOutOfOrder(start, end) ? Arrival.OUT_OF_ORDER : Arrival.DUPLICATE;
        }
        if (finOffset >= 0 && !finConsumed && next == finOffset) {
            next++;
            finConsumed = true;
        }
        return arrival;
    }

    private void advanceTo(long end) {
        if (end > next) {
            queued += end - next;
            next = end;
        }
    }

    /** Inserts an out-of-order range; false when it brought no new byte. */
    private boolean insertOutOfOrder(long start, long end) {
        int i = 0;
        while (i < count && ends[i] < start) {
            i++;
        }
        if (i < count && starts[i] <= start && end <= ends[i]) {
            reportDuplicate(start, end);
            stamps[i] = ++clock;
            return false;
        }
        int j = i;
        long s = start;
        long e = end;
        long absorbed = 0;
        while (j < count && starts[j] <= e) {
            s = Math.min(s, starts[j]);
            e = Math.max(e, ends[j]);
            absorbed += ends[j] - starts[j];
            j++;
        }
        int removed = j - i;
        if (removed == 0) {
            if (count == starts.length) {
                int room = Math.max(FIRST_RANGES, count * 2);
                starts = Arrays.copyOf(starts, room);
                ends = Arrays.copyOf(ends, room);
                stamps = Arrays.copyOf(stamps, room);
            }
            shift(i, i + 1, count - i);
            count++;
        } else if (removed > 1) {
            shift(j, i + 1, count - j);
            count -= removed - 1;
        }
        starts[i] = s;
        ends[i] = e;
        stamps[i] = ++clock;
        outOfOrderBytes += (e - s) - absorbed;
        return true;
    }

    private void shift(int from, int to, int length) {
        System.arraycopy(starts, from, starts, to, length);
        System.arraycopy(ends, from, ends, to, length);
        System.arraycopy(stamps, from, stamps, to, length);
    }

    private void removeFirst() {
        shift(1, 0, count - 1);
        count--;
    }

    /** Remembers {@code [start, end)} as received twice, for the next ACK's D-SACK block. */
    void reportDuplicate(long start, long end) {
        dsackStart = start;
        dsackEnd = end;
        dsackPending = true;
    }

    /** The application reads up to {@code max} bytes; returns how many it got. */
    long read(long max) {
        long n = Math.min(max, queued);
        queued -= n;
        return n;
    }

    /** Whether the next ACK has SACK or D-SACK blocks to carry. */
    boolean hasSackInfo() {
        return count > 0 || dsackPending;
    }

    /**
     * Fills {@code out} with up to {@code max} blocks as {start, end} offset pairs: the pending
     * D-SACK first (RFC 2883 §4), then out-of-order ranges newest first (RFC 2018 §4).
     * Consumes the D-SACK. Returns the number of blocks.
     */
    int sackBlocks(long[] out, int max) {
        int n = 0;
        if (dsackPending && max > 0) {
            out[0] = dsackStart;
            out[1] = dsackEnd;
            n = 1;
            dsackPending = false;
        }
        if (reported.length < count) {
            reported = new boolean[stamps.length];
        }
        boolean[] used = reported;
        Arrays.fill(used, 0, count, false);
        while (n < max) {
            int best = -1;
            for (int i = 0; i < count; i++) {
                if (!used[i] && (best < 0 || stamps[i] > stamps[best])) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            used[best] = true;
            out[2 * n] = starts[best];
            out[2 * n + 1] = ends[best];
            n++;
        }
        return n;
    }

    /** The right edge of the highest out-of-order range, or -1 (Linux's RST check uses it). */
    long highestSackedEnd() {
        return count == 0 ? -1 : ends[count - 1];
    }
}
