package io.kpsim.tcp;

/**
 * NewReno congestion control: the window arithmetic of RFC 5681 (slow start, congestion
 * avoidance, fast retransmit/fast recovery) with RFC 6582's partial-ACK handling.
 *
 * <p>Windows are in bytes. The initial window is {@code initialCwndSegments * mss} (RFC 6928;
 * Linux {@code TCP_INIT_CWND} = 10) and ssthresh starts "arbitrarily high" (RFC 5681 §3.1).
 * Slow start adds min(acked, SMSS) per ACK (RFC 5681 eq. 2); congestion avoidance adds one SMSS
 * per cwnd of acknowledged bytes (the byte-counting variant of RFC 5681 §3.1). As in Linux's
 * {@code tcp_is_cwnd_limited}, the window only grows while the sender actually used it, so an
 * application- or receiver-limited flow does not inflate cwnd without bound. The recovery
 * bookkeeping (which sequence ends recovery, when to enter it) lives in {@link TcpSender}.
 */
final class NewReno {

    private final int mss;
    private long cwnd;
    private long ssthresh = Long.MAX_VALUE;
    private long bytesAckedInAvoidance;

    NewReno(int mss, int initialCwndSegments) {
        this.mss = mss;
        this.cwnd = (long) initialCwndSegments * mss;
    }

    long cwnd() {
        return cwnd;
    }

    long ssthresh() {
        return ssthresh;
    }

    boolean inSlowStart() {
        return cwnd < ssthresh;
    }

    /** New data acknowledged outside recovery; {@code flightBefore} is what was outstanding. */
    void onAck(long acked, long flightBefore) {
        boolean cwndLimited = inSlowStart() ? cwnd < 2 * flightBefore : flightBefore + mss >= cwnd;
        if (!cwndLimited) {
            return;
        }
        if (inSlowStart()) {
            cwnd += Math.min(acked, mss);
            return;
        }
        bytesAckedInAvoidance += acked;
        if (bytesAckedInAvoidance >= cwnd) {
            bytesAckedInAvoidance -= cwnd;
            cwnd += mss;
        }
    }

    /** Third duplicate ACK: halve (RFC 5681 eq. 4) and inflate by the three segments that left. */
    void onFastRetransmit(long flight) {
        ssthresh = halved(flight);
        cwnd = ssthresh + 3L * mss;
        bytesAckedInAvoidance = 0;
    }

    /** A further duplicate ACK in recovery: one more segment left the network (RFC 5681 §3.2 step 4). */
    void onDupAckInRecovery() {
        cwnd += mss;
    }

    /** A retransmission bought with a duplicate ACK's inflation (SACK hole) takes it back. */
    void spend(int bytes) {
        cwnd = Math.max(mss, cwnd - bytes);
    }

    /** RFC 6582 §3.2 step 5: deflate by the newly acknowledged amount, add back one SMSS. */
    void onPartialAck(long acked) {
        cwnd = Math.max(mss, cwnd - acked + (acked >= mss ? mss : 0));
    }

    /** RFC 6582 §3.2 step 3, option 1: leave recovery with min(ssthresh, FlightSize + SMSS). */
    void onFullAck(long flightAfter) {
        cwnd = Math.min(ssthresh, Math.max(flightAfter, mss) + mss);
    }

    /** RTO expiry: ssthresh per RFC 5681 eq. 4, cwnd to the loss window of one segment. */
    void onTimeout(long flight) {
        ssthresh = halved(flight);
        cwnd = mss;
        bytesAckedInAvoidance = 0;
    }

    private long halved(long flight) {
        return Math.max(flight / 2, 2L * mss);
    }
}
