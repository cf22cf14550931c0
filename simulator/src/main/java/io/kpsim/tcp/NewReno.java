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
 *
 * <p>Functions over {@link TcpSender}'s fields {@code cwnd}, {@code ssthresh},
 * {@code bytesAckedInAvoidance}, {@code dupAcks}, {@code inRecovery} and {@code highSeq} ({@code recover}), with the
 * sender's SMSS: the state is the sender's, as the kernel keeps {@code snd_cwnd},
 * {@code snd_ssthresh} and {@code high_seq} in {@code struct tcp_sock}, so that a connection does
 * not pay an object header and a reference for it (issue 17's memory per connection).
 */
final class NewReno {

    private NewReno() {}

    /** Starts congestion control afresh with the sender's SMSS (at creation and once the MSS is known). */
    static void init(TcpSender s, int initialCwndSegments) {
        s.cwnd = (long) initialCwndSegments * s.mss;
        s.ssthresh = Long.MAX_VALUE;
        s.bytesAckedInAvoidance = 0;
        s.dupAcks = 0;
        s.inRecovery = false;
        s.recover(0);
    }

    /**
     * New data up to {@code ack} was acknowledged ({@code acked} bytes; {@code flightBefore} and
     * {@code flightAfter} outstanding before and after). Returns true for a partial ACK in fast
     * recovery, after which the caller retransmits the next missing segment (RFC 6582 §3.2 step 5).
     */
    static boolean onNewAck(TcpSender s, long ack, long acked, long flightBefore, long flightAfter) {
        int mss = s.mss;
        s.dupAcks = 0;
        if (s.inRecovery) {
            if (ack >= s.recover()) {
                // Full ACK, step 3 option 1: leave with min(ssthresh, FlightSize + SMSS).
                s.inRecovery = false;
                s.cwnd = Math.min(s.ssthresh, Math.max(flightAfter, mss) + mss);
                return false;
            }
            // Partial ACK: deflate by the amount acknowledged, add back one SMSS.
            s.cwnd = Math.max(mss, s.cwnd - acked + (acked >= mss ? mss : 0));
            return true;
        }
        if (ack > s.recover()) {
            // SND.UNA passed recover: una >= recover holds from here on either way, and moving it up
            // keeps the 32-bit sequence number within 2^31 of SND.UNA however long no loss comes.
            s.recover(ack);
        }
        long cwnd = s.cwnd;
        long ssthresh = s.ssthresh;
        boolean cwndLimited = cwnd < ssthresh ? cwnd < 2 * flightBefore : flightBefore + mss >= cwnd;
        if (cwndLimited) {
            if (cwnd < ssthresh) {
                s.cwnd = cwnd + Math.min(acked, mss);
            } else {
                s.bytesAckedInAvoidance += acked;
                if (s.bytesAckedInAvoidance >= cwnd) {
                    s.bytesAckedInAvoidance -= cwnd;
                    s.cwnd = cwnd + mss;
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
    static boolean onDuplicateAck(TcpSender s, long una, long max) {
        if (s.dupAcks < Short.MAX_VALUE) {
            s.dupAcks++;
        }
        if (s.inRecovery) {
            s.cwnd += s.mss; // RFC 5681 §3.2 step 4: one more segment left the network.
            return false;
        }
        if (s.dupAcks == 3 && una >= s.recover()) {
            s.ssthresh = halved(s, max - una); // RFC 5681 eq. 4
            s.cwnd = s.ssthresh + 3L * s.mss;
            s.bytesAckedInAvoidance = 0;
            s.recover(max);
            s.inRecovery = true;
            return true;
        }
        return false;
    }

    /** An acceptable ACK that is neither new nor a duplicate breaks a run of duplicates. */
    static void onOtherAck(TcpSender s) {
        s.dupAcks = 0;
    }

    /** A SACK-hole retransmission bought with a duplicate ACK's inflation takes it back. */
    static void spend(TcpSender s, int bytes) {
        s.cwnd = Math.max(s.mss, s.cwnd - bytes);
    }

    /** RTO expiry: ssthresh per RFC 5681 eq. 4, cwnd to one segment, recovery abandoned. */
    static void onTimeout(TcpSender s, long flight, long max) {
        s.ssthresh = halved(s, flight);
        s.cwnd = s.mss;
        s.bytesAckedInAvoidance = 0;
        s.dupAcks = 0;
        s.inRecovery = false;
        s.recover(max);
    }

    private static long halved(TcpSender s, long flight) {
        return Math.max(flight / 2, 2L * s.mss);
    }
}
