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
 *
 * <p>Functions over {@link TcpReceiver}'s fields {@code rcvNxt}, {@code queued}, {@code finSeq},
 * {@code finSeen}, {@code finConsumed}, {@code filledHole}, {@code dsackPending}, {@code dsackStart},
 * {@code dsackEnd} and {@code outOfOrder}: the state is the receiver's, as the kernel keeps
 * {@code rcv_nxt}, {@code out_of_order_queue} and {@code duplicate_sack} in {@code struct tcp_sock},
 * so that a connection does not pay an object header and a reference for it (issue 17's memory per
 * connection; {@code src/docs/benchmarks.md} section 4, session 10).
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

    private ReceiveBuffer() {}

    /** The peer's SYN carried ISN {@code irs} where the buffer had assumed {@code oldIrs}. */
    static void rebase(TcpReceiver r, int irs, int oldIrs) {
        r.rcvNxt += irs - oldIrs;
    }

    /** Bytes held out of order. */
    static int outOfOrderBytes(TcpReceiver r) {
        return r.outOfOrder == null ? 0 : r.outOfOrder.bytes();
    }

    /**
     * Accepts the data range {@code [start, end)} (already trimmed to the window), followed by a
     * FIN when {@code fin}. Sets {@code filledHole} when the arrival also merged out-of-order data.
     */
    static Arrival accept(TcpReceiver r, int start, int end, boolean fin) {
        r.filledHole = false;
        if (fin && !r.finSeen) {
            r.finSeen = true;
            r.finSeq = end;
        }
        Arrival arrival;
        if (Seq.beforeOrEqual(end, r.rcvNxt) && !(fin && end == r.rcvNxt && !r.finConsumed)) {
            arrival = Arrival.DUPLICATE;
            if (Seq.after(end, start)) {
                reportDuplicate(r, start, end);
            }
        } else if (Seq.beforeOrEqual(start, r.rcvNxt)) {
            arrival = Arrival.IN_ORDER;
            advanceTo(r, end);
            while (r.outOfOrder != null && Seq.beforeOrEqual(r.outOfOrder.firstStart(), r.rcvNxt)) {
                r.filledHole = true;
                advanceTo(r, r.outOfOrder.takeFirst());
                if (r.outOfOrder.isEmpty()) {
                    r.outOfOrder = null;
                }
            }
        } else {
            arrival = insertOutOfOrder(r, start, end) ? Arrival.OUT_OF_ORDER : Arrival.DUPLICATE;
        }
        if (r.finSeen && !r.finConsumed && r.rcvNxt == r.finSeq) {
            r.rcvNxt++;
            r.finConsumed = true;
        }
        return arrival;
    }

    private static void advanceTo(TcpReceiver r, int end) {
        if (Seq.after(end, r.rcvNxt)) {
            r.queued += end - r.rcvNxt;
            r.rcvNxt = end;
        }
    }

    /** Inserts an out-of-order range; false when it brought no new byte. */
    private static boolean insertOutOfOrder(TcpReceiver r, int start, int end) {
        if (r.outOfOrder == null) {
            r.outOfOrder = new OutOfOrderQueue();
        }
        if (!r.outOfOrder.insert(start, end)) {
            reportDuplicate(r, start, end);
            return false;
        }
        return true;
    }

    /** Remembers {@code [start, end)} as received twice, for the next ACK's D-SACK block. */
    static void reportDuplicate(TcpReceiver r, int start, int end) {
        r.dsackStart = start;
        r.dsackEnd = end;
        r.dsackPending = true;
    }

    /** The application reads up to {@code max} bytes; returns how many it got. */
    static int read(TcpReceiver r, long max) {
        int n = (int) Math.min(max, r.queued);
        r.queued -= n;
        return n;
    }

    /** Whether the next ACK has SACK or D-SACK blocks to carry. */
    static boolean hasSackInfo(TcpReceiver r) {
        return r.outOfOrder != null || r.dsackPending;
    }

    /**
     * Fills {@code out} with up to {@code max} blocks as {start, end} sequence-number pairs: the
     * pending D-SACK first (RFC 2883 §4), then out-of-order ranges newest first (RFC 2018 §4).
     * Consumes the D-SACK. Returns the number of blocks.
     */
    static int sackBlocks(TcpReceiver r, int[] out, int max) {
        int n = 0;
        if (r.dsackPending && max > 0) {
            out[0] = r.dsackStart;
            out[1] = r.dsackEnd;
            n = 1;
            r.dsackPending = false;
        }
        return r.outOfOrder == null ? n : r.outOfOrder.newestFirst(out, n, max);
    }

    /**
     * The right edge of the highest out-of-order range, or RCV.NXT when nothing is held out of
     * order (Linux's RST check uses it).
     */
    static int highestSackedEnd(TcpReceiver r) {
        return r.outOfOrder == null ? r.rcvNxt : r.outOfOrder.highestEnd();
    }
}
