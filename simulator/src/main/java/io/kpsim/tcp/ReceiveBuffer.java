package io.kpsim.tcp;

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

    private long next = 1;
    private long queued;
    private long finOffset = -1;
    private boolean finConsumed;
    private boolean filledHole;
    /** The ranges held beyond RCV.NXT, or null while there are none. */
    private OutOfOrderQueue outOfOrder;

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
        return outOfOrder == null ? 0 : outOfOrder.bytes();
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
            while (outOfOrder != null && outOfOrder.firstStart() <= next) {
                filledHole = true;
                advanceTo(outOfOrder.takeFirst());
                if (outOfOrder.isEmpty()) {
                    outOfOrder = null;
                }
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
        if (outOfOrder == null) {
            outOfOrder = new OutOfOrderQueue();
        }
        if (!outOfOrder.insert(start, end)) {
            reportDuplicate(start, end);
            return false;
        }
        return true;
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
        return outOfOrder != null || dsackPending;
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
        return outOfOrder == null ? n : outOfOrder.newestFirst(out, n, max);
    }

    /** The right edge of the highest out-of-order range, or -1 (Linux's RST check uses it). */
    long highestSackedEnd() {
        return outOfOrder == null ? -1 : outOfOrder.highestEnd();
    }
}
