package io.kpsim.tcp;

/**
 * NewReno congestion control: RFC 5681 (slow start, congestion avoidance, fast retransmit and
 * fast recovery) with RFC 6582's partial-ACK rule and its {@code recover} variable.
 *
 * <p>Windows are bytes; positions are the sender's stream offsets. The initial window is
 * {@code initialCwndSegments * mss} (RFC 6928; Linux {@code TCP_INIT_CWND} = 10) and ssthresh
 * starts "arbitrarily high" (RFC 5681 §3.1). Slow start adds min(acked, SMSS) per ACK (RFC 5681
 * eq. 2); congestion avoidance adds one SMSS per cwnd of acknowledged bytes (the byte-counting
 * form of §3.1). As in Linux's {@code tcp_is_cwnd_limited}, the window only grows while the
 * sender actually used it, so a receiver- or application-limited flow does not inflate cwnd
 * without bound. Which bytes to retransmit is {@link TcpSender}'s business; this class says when.
 */
final class NewReno {

    private final int mss;
    private long cwnd;
    private long ssthresh = Long.MAX_VALUE;
    private long bytesAckedInAvoidance;
    private int dupAcks;
    private boolean inRecovery;
    /** RFC 6582 {@code recover}: the highest offset sent when the last loss was detected. */
    private long recover;

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

    boolean inRecovery() {
        return inRecovery;
    }

    /**
     * New data up to {@code ack} was acknowledged ({@code acked} bytes; {@code flightBefore} and
     * {@code flightAfter} outstanding before and after). Returns true for a partial ACK in fast
     * recovery, after which the caller retransmits the next missing segment (RFC 6582 §3.2 step 5).
     */
    boolean onNewAck(long ack, long acked, long flightBefore, long flightAfter) {
        dupAcks = 0;
        if (inRecovery) {
            if (ack >= recover) {
                // Full ACK, step 3 option 1: leave with min(ssthresh, FlightSize + SMSS).
                inRecovery = false;
                cwnd = Math.min(ssthresh, Math.max(flightAfter, mss) + mss);
                return false;
            }
            // Partial ACK: deflate by the amount acknowledged, add back one SMSS.
            cwnd = Math.max(mss, cwnd - acked + (acked >= mss ? mss : 0));
            return true;
        }
        boolean cwndLimited = cwnd < ssthresh ? cwnd < 2 * flightBefore : flightBefore + mss >= cwnd;
        if (cwndLimited) {
            if (cwnd < ssthresh) {
                cwnd += Math.min(acked, mss);
            } else {
                bytesAckedInAvoidance += acked;
                if (bytesAckedInAvoidance >= cwnd) {
                    bytesAckedInAvoidance -= cwnd;
                    cwnd += mss;
                }
            }
        }
        return false;
    }

    /**
     * A duplicate ACK (RFC 5681 §2) with {@code una} unacknowledged and {@code max} the highest
     * offset sent. Returns true when it is the third and starts fast retransmit: only for a loss
     * after the previous recovery ({@code una >= recover}, RFC 6582 §3.2 step 2).
     */
    boolean onDuplicateAck(long una, long max) {
        dupAcks++;
        if (inRecovery) {
            cwnd += mss; // RFC 5681 §3.2 step 4: one more segment left the network.
            return false;
        }
        if (dupAcks == 3 && una >= recover) {
            ssthresh = halved(max - una); // RFC 5681 eq. 4
            cwnd = ssthresh + 3L * mss;
            bytesAckedInAvoidance = 0;
            recover = max;
            inRecovery = true;
            return true;
        }
        return false;
    }

    /** An acceptable ACK that is neither new nor a duplicate breaks a run of duplicates. */
    void onOtherAck() {
        dupAcks = 0;
    }

    /** A SACK-hole retransmission bought with a duplicate ACK's inflation takes it back. */
    void spend(int bytes) {
        cwnd = Math.max(mss, cwnd - bytes);
    }

    /** RTO expiry: ssthresh per RFC 5681 eq. 4, cwnd to one segment, recovery abandoned. */
    void onTimeout(long flight, long max) {
        ssthresh = halved(flight);
        cwnd = mss;
        bytesAckedInAvoidance = 0;
        dupAcks = 0;
        inRecovery = false;
        recover = max;
    }

    private long halved(long flight) {
        return Math.max(flight / 2, 2L * mss);
    }
}
