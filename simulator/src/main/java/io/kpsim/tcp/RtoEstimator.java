package io.kpsim.tcp;

import io.kpsim.engine.Timer;

/**
 * The retransmission timeout of RFC 6298, with Linux's floor.
 *
 * <p>SRTT and RTTVAR follow RFC 6298 §2 (alpha 1/8, beta 1/4, first sample R gives SRTT = R,
 * RTTVAR = R/2). The timeout is computed as Linux's {@code __tcp_set_rto} does,
 * {@code RTO = SRTT + max(4 * RTTVAR, TCP_RTO_MIN)} (the kernel floors the variance term at
 * {@code tcp_rto_min}, not the sum), so on a LAN the RTO is about RTT + 200 ms, bounded by
 * {@code maxRto}. Before any sample the RTO is {@code initialRto} (RFC 6298 §2.1: 1 s).
 * Each expiry doubles it (§5.5, "back off the timer"); the next valid sample clears the backoff
 * (§5.7). Karn's algorithm (§3) is kept here too: one segment is timed at a time and the timing is
 * abandoned when any retransmission covers it.
 *
 * <p>It also runs the retransmission timer itself (Linux's {@code icsk_retransmit_timer}), made
 * when the timer is armed and let go when it is cancelled: most of a connection's life nothing is in
 * flight, and an idle connection then holds no timer (issue 17's memory per connection). A timer
 * made anew and a cancelled one re-armed both queue a fresh event, so the event order is the same.
 *
 * <p>Functions over {@link TcpSender}'s fields {@code srttNanos}, {@code rttvarNanos},
 * {@code baseRtoNanos}, {@code rtoBackoff}, {@code timedSeq} (with the {@link TcpSender#TIMING} flag),
 * {@code timedSinceNanos} and
 * {@code rtoTimer}: the state is the sender's, as the kernel keeps {@code srtt_us}, {@code mdev_us}
 * and {@code icsk_rto} in the socket, so that a connection does not pay an object header and a
 * reference for it (issue 17's memory per connection).
 */
final class RtoEstimator {

    /** The most doublings counted; 2^30 times any RTO is far above {@code TCP_RTO_MAX}. */
    private static final byte MAX_BACKOFF_SHIFT = 30;

    private RtoEstimator() {}

    /** The state of a sender that has not measured anything: RTO = {@code initialRto}, nothing timed. */
    static void init(TcpSender s, TcpConfig config) {
        s.srttNanos = -1;
        s.flags &= ~TcpSender.TIMING;
        s.baseRtoNanos = config.initialRtoNanos();
    }

    /** Times the segment starting at stream offset {@code offset}, unless one is already timed. */
    static void startTiming(TcpSender s, long offset, long nowNanos) {
        if (!s.has(TcpSender.TIMING)) {
            s.flags |= TcpSender.TIMING;
            s.timedSeq = s.seq(offset);
            s.timedSinceNanos = nowNanos;
        }
    }

    /** Everything below {@code ackOffset} is acknowledged; samples if that covers the timed segment. */
    static boolean acked(TcpSender s, TcpConfig config, long ackOffset, long nowNanos) {
        if (s.has(TcpSender.TIMING) && ackOffset > s.offset(s.timedSeq)) {
            s.flags &= ~TcpSender.TIMING;
            sample(s, config, nowNanos - s.timedSinceNanos);
            return true;
        }
        return false;
    }

    /** Karn's algorithm: {@code [from, to)} was sent again, so its ACK cannot be timed. */
    static void retransmitted(TcpSender s, long from, long to) {
        if (s.has(TcpSender.TIMING) && s.offset(s.timedSeq) >= from && s.offset(s.timedSeq) < to) {
            s.flags &= ~TcpSender.TIMING;
        }
    }

    /** Feeds one round-trip measurement {@code rttNanos} (RFC 6298 §2.2-2.3). */
    static void sample(TcpSender s, TcpConfig config, long rttNanos) {
        long r = Math.max(1, rttNanos);
        if (s.srttNanos < 0) {
            s.srttNanos = r;
            s.rttvarNanos = r / 2;
        } else {
            s.rttvarNanos = (3 * s.rttvarNanos + Math.abs(s.srttNanos - r)) / 4;
            s.srttNanos = (7 * s.srttNanos + r) / 8;
        }
        s.baseRtoNanos =
                Math.min(config.maxRtoNanos(), s.srttNanos + Math.max(4 * s.rttvarNanos, config.minRtoNanos()));
        s.rtoBackoff = 0;
    }

    /** The timeout to arm now: the computed RTO doubled once per unanswered expiry, capped. */
    static long rtoNanos(TcpSender s, TcpConfig config) {
        long rto = s.baseRtoNanos;
        for (int i = 0; i < s.rtoBackoff && rto < config.maxRtoNanos(); i++) {
            rto <<= 1;
        }
        return Math.min(rto, config.maxRtoNanos());
    }

    /** Doubles the timeout after an expiry (RFC 6298 §5.5). */
    static void backOff(TcpSender s) {
        if (s.rtoBackoff < MAX_BACKOFF_SHIFT) {
            s.rtoBackoff++;
        }
    }

    /**
     * The handshake completed without a valid RTT sample because the SYN (or SYN-ACK) was
     * retransmitted: data transmission starts with RTO = 3 s (RFC 6298 §5.7, Linux
     * {@code TCP_TIMEOUT_FALLBACK}) and no backoff.
     */
    static void handshakeRetransmitted(TcpSender s, TcpConfig config) {
        if (s.srttNanos < 0) {
            s.baseRtoNanos = Math.min(config.maxRtoNanos(), Math.max(s.baseRtoNanos, 3_000_000_000L));
        }
        s.rtoBackoff = 0;
    }

    /** (Re)arms the retransmission timer for {@link #rtoNanos}; on expiry it calls the sender. */
    static void armTimer(TcpSender s) {
        Timer timer = s.rtoTimer;
        if (timer == null) {
            timer = s.socket.simulation().timer(s::retransmitTimerExpired);
            s.rtoTimer = timer;
        }
        timer.arm(rtoNanos(s, s.config()));
    }

    static boolean timerArmed(TcpSender s) {
        return s.rtoTimer != null && s.rtoTimer.isArmed();
    }

    /** Disarms the retransmission timer and lets it go (a stale queue entry of it is skipped). */
    static void cancelTimer(TcpSender s) {
        if (s.rtoTimer != null) {
            s.rtoTimer.cancel();
            s.rtoTimer = null;
        }
    }
}
