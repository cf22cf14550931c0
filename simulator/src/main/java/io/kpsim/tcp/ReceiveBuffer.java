package io.kpsim.tcp;

import io.kpsim.packet.Seq;

/**
 * The receive side's byte accounting: in-order data waiting for the application, out-of-order
 * ranges held for reassembly (Linux's {@code out_of_order_queue}), the FIN's position, and the
 * SACK and D-SACK blocks to report (RFC 2018 §4, RFC 2883).
 *
 * <p>Positions are 32-bit sequence numbers, as the kernel's {@code struct tcp_sock} keeps
 * {@code rcv_nxt} ({@code include/linux/tcp.h}), compared modulo 2^32 with {@link Seq}'s
 * {@code before()}/{@code after()} ({@code include/net/tcp.h}): every position the buffer holds lies
 * within one receive window (at most 1 GiB, RFC 7323 §2.3) of RCV.NXT, so the serial comparison is
 * exact across a wrap. Until the peer's SYN arrives the buffer counts from an ISN of 0;
 * {@link #rebase} moves it onto the real one.
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

    /** RCV.NXT. */
    private int next = 1;
    /** In-order bytes not read yet; at most the receive buffer (1 GiB, {@link TcpConfig}). */
    private int queued;
    /** The FIN's sequence number, valid once {@link #finSeen}. */
    private int finSeq;

    private boolean finSeen;
    private boolean finConsumed;
    private boolean filledHole;
    private boolean dsackPending;
    /** The ranges held beyond RCV.NXT, or null while there are none. */
    private OutOfOrderQueue outOfOrder;

    private int dsackStart;
    private int dsackEnd;

    /** RCV.NXT. */
    int next() {
        return next;
    }

    /** The peer's SYN carried ISN {@code irs} where the buffer had assumed {@code oldIrs}. */
    void rebase(int irs, int oldIrs) {
        next += irs - oldIrs;
    }

    /** In-order bytes the application has not read yet. */
    int queued() {
        return queued;
    }

    /** Bytes held out of order. */
    int outOfOrderBytes() {
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
    Arrival accept(int start, int end, boolean fin) {
        filledHole = false;
        if (fin && !finSeen) {
            finSeen = true;
            finSeq = end;
        }
        Arrival arrival;
        if (Seq.beforeOrEqual(end, next) && !(fin && end == next && !finConsumed)) {
            arrival = Arrival.DUPLICATE;
            if (Seq.after(end, start)) {
                reportDuplicate(start, end);
            }
        } else if (Seq.beforeOrEqual(start, next)) {
            arrival = Arrival.IN_ORDER;
            advanceTo(end);
            while (outOfOrder != null && Seq.beforeOrEqual(outOfOrder.firstStart(), next)) {
                filledHole = true;
                advanceTo(outOfOrder.takeFirst());
                if (outOfOrder.isEmpty()) {
                    outOfOrder = null;
                }
            }
        } else {
            arrival = insertOutOfOrder(start, end) ? Arrival.OUT_OF_ORDER : Arrival.DUPLICATE;
        }
        if (finSeen && !finConsumed && next == finSeq) {
            next++;
            finConsumed = true;
        }
        return arrival;
    }

    private void advanceTo(int end) {
        if (Seq.after(end, next)) {
            queued += end - next;
            next = end;
        }
    }

    /** Inserts an out-of-order range; false when it brought no new byte. */
    private boolean insertOutOfOrder(int start, int end) {
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
    void reportDuplicate(int start, int end) {
        dsackStart = start;
        dsackEnd = end;
        dsackPending = true;
    }

    /** The application reads up to {@code max} bytes; returns how many it got. */
    int read(long max) {
        int n = (int) Math.min(max, queued);
        queued -= n;
        return n;
    }

    /** Whether the next ACK has SACK or D-SACK blocks to carry. */
    boolean hasSackInfo() {
        return outOfOrder != null || dsackPending;
    }

    /**
     * Fills {@code out} with up to {@code max} blocks as {start, end} sequence-number pairs: the
     * pending D-SACK first (RFC 2883 §4), then out-of-order ranges newest first (RFC 2018 §4).
     * Consumes the D-SACK. Returns the number of blocks.
     */
    int sackBlocks(int[] out, int max) {
        int n = 0;
        if (dsackPending && max > 0) {
            out[0] = dsackStart;
            out[1] = dsackEnd;
            n = 1;
            dsackPending = false;
        }
        return outOfOrder == null ? n : outOfOrder.newestFirst(out, n, max);
    }

    /**
     * The right edge of the highest out-of-order range, or RCV.NXT when nothing is held out of
     * order (Linux's RST check uses it).
     */
    int highestSackedEnd() {
        return outOfOrder == null ? next : outOfOrder.highestEnd();
    }
}
