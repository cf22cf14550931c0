package io.kpsim.tcp;

import io.kpsim.packet.Seq;

/**
 * Receive-buffer autotuning: the receiver's RTT estimate (Linux's {@code tp->rcv_rtt_est},
 * {@code tcp_rcv_rtt_measure}: the time to receive one window of data) and the space the
 * application drained per RTT ({@code tp->rcvq_space}, {@code tcp_rcv_space_adjust}): once per
 * receiver RTT, the buffer grows to hold twice what the application read in that RTT plus 16 MSS,
 * up to {@code tcp_rmem[2]}.
 *
 * <p>A {@link TcpReceiver} makes one when the first data or FIN arrives: a connection that has
 * received nothing, which is every connection held open idle after its handshake, has nothing to
 * measure and holds none (issue 17's memory per connection).
 */
final class ReceiveSpace {

    private long rttMeasureStartNanos;
    private long rcvRttNanos;
    private long spaceStartNanos;
    private long spaceDelivered;
    private long space;
    /** The sequence number RCV.NXT must reach to end the timing ({@code rcv_rtt_est.seq}). */
    private int rttMeasureEnd;
    /** Whether a window is being timed. */
    private boolean measuring;

    /** Starts with the receive buffer's payload capacity as the space the application drains. */
    ReceiveSpace(long capacity) {
        this.space = capacity;
    }

    /**
     * Data arrived, RCV.NXT now {@code next}: starts timing one window ({@code rcvWnd}, at least
     * one {@code mss}) or ends the timing once RCV.NXT reached its end (the kernel's
     * {@code !before(tp->rcv_nxt, tp->rcv_rtt_est.seq)}).
     */
    void measureRtt(int next, long rcvWnd, int mss, long nowNanos) {
        if (!measuring) {
            rttMeasureEnd = next + (int) Math.max(rcvWnd, mss);
            rttMeasureStartNanos = nowNanos;
            measuring = true;
        } else if (Seq.afterOrEqual(next, rttMeasureEnd)) {
            long sample = nowNanos - rttMeasureStartNanos;
            rcvRttNanos = rcvRttNanos == 0 ? sample : (7 * rcvRttNanos + sample) / 8;
            measuring = false;
        }
    }

    /**
     * The application has read {@code delivered} bytes in all: returns the buffer's new payload
     * capacity (at least {@code capacity}, at most {@code maxCapacity}), grown when a receiver RTT
     * has passed since the last adjustment and the application read more than before.
     */
    long adjust(long capacity, long maxCapacity, long delivered, int mss, long nowNanos) {
        if (capacity >= maxCapacity || rcvRttNanos == 0 || nowNanos - spaceStartNanos < rcvRttNanos) {
            return capacity;
        }
        long grown = capacity;
        long copied = delivered - spaceDelivered;
        if (copied > space) {
            long wanted = 2 * copied + 16L * mss;
            grown = Math.max(capacity, Math.min(maxCapacity, wanted));
            space = copied;
        }
        spaceStartNanos = nowNanos;
        spaceDelivered = delivered;
        return grown;
    }
}
