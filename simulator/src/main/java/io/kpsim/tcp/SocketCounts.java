package io.kpsim.tcp;

/**
 * One connection's {@link TcpCounter}s, held in its {@link TcpSocket} (this class is its
 * superclass) rather than in an object of their own: the kernel keeps {@code segs_out} and
 * {@code segs_in} as {@code u32} fields of {@code struct tcp_sock} ({@code tcp_segs_in()},
 * {@code __tcp_transmit_skb()}), and so does this class; the rest are sparse as
 * {@link TcpCounters#addOnSocket} lays them out. An idle established connection has counted its
 * segments and its establishment and nothing else, so it keeps no array (issue 17's memory per
 * connection: 40 bytes less per socket than a three-slot array).
 */
abstract class SocketCounts {

    private int segsOut;
    private int segsIn;
    private int counted;
    private long[] counts = TcpCounters.none();

    /**
     * A copy of this connection's counters as they are now.
     *
     * @return the counters, the segments read as unsigned 32-bit values
     */
    public TcpCounters counters() {
        return TcpCounters.copyOf(counted, counts, segsOut, segsIn);
    }

    /** The current value of one of this connection's counters, without copying them. */
    long counter(TcpCounter counter) {
        if (counter == TcpCounter.SEGMENTS_SENT) {
            return Integer.toUnsignedLong(segsOut);
        }
        if (counter == TcpCounter.SEGMENTS_RECEIVED) {
            return Integer.toUnsignedLong(segsIn);
        }
        return TcpCounters.getOnSocket(counted, counts, counter.ordinal());
    }

    /**
     * Counts on this connection alone, not on its stack: for a segment the stack counted before the
     * socket existed (a passive open's SYN, counted as the listener's). The segments wrap at 2^32,
     * as the kernel's {@code u32} fields do.
     */
    void countOnSocket(TcpCounter counter, long amount) {
        if (counter == TcpCounter.SEGMENTS_SENT) {
            segsOut += (int) amount;
        } else if (counter == TcpCounter.SEGMENTS_RECEIVED) {
            segsIn += (int) amount;
        } else {
            counts = TcpCounters.addOnSocket(counted, counts, counter.ordinal(), amount);
            counted = TcpCounters.presentAfter(counted, counter.ordinal(), amount);
        }
    }
}
