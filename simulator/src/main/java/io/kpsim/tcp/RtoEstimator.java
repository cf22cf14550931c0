package io.kpsim.tcp;

import io.kpsim.engine.Simulation;
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
 * <p>It also holds the retransmission timer itself (Linux's {@code icsk_retransmit_timer}), made
 * when the timer is armed and let go when it is cancelled: most of a connection's life nothing is in
 * flight, and an idle connection then holds no timer (issue 17's memory per connection). A timer
 * made anew and a cancelled one re-armed both queue a fresh event, so the event order is the same.
 */
final class RtoEstimator {

    private static final int MAX_BACKOFF_SHIFT = 30;

    private final TcpConfig config;
    /** The retransmission timer while it is armed, else null. */
    private Timer timer;

    private long srttNanos = -1;
    private long rttvarNanos;
    private long baseRtoNanos;
    private int backoff;
    private long timedOffset = -1;
    private long timedSinceNanos;

    RtoEstimator(TcpConfig config) {
        this.config = config;
        this.baseRtoNanos = config.initialRtoNanos();
    }

    /** Times the segment starting at stream offset {@code offset}, unless one is already timed. */
    void startTiming(long offset, long nowNanos) {
        if (timedOffset < 0) {
            timedOffset = offset;
            timedSinceNanos = nowNanos;
        }
    }

    /** Everything below {@code ackOffset} is acknowledged; samples if that covers the timed segment. */
    boolean acked(long ackOffset, long nowNanos) {
        if (timedOffset >= 0 && ackOffset > timedOffset) {
            timedOffset = -1;
            sample(nowNanos - timedSinceNanos);
            return true;
        }
        return false;
    }

    /** Karn's algorithm: {@code [from, to)} was sent again, so its ACK cannot be timed. */
    void retransmitted(long from, long to) {
        if (timedOffset >= from && timedOffset < to) {
            timedOffset = -1;
        }
    }

    /** Feeds one round-trip measurement {@code rttNanos} (RFC 6298 §2.2-2.3). */
    void sample(long rttNanos) {
        long r = Math.max(1, rttNanos);
        if (srttNanos < 0) {
            srttNanos = r;
            rttvarNanos = r / 2;
        } else {
            rttvarNanos = (3 * rttvarNanos + Math.abs(srttNanos - r)) / 4;
            srttNanos = (7 * srttNanos + r) / 8;
        }
        baseRtoNanos = Math.min(config.maxRtoNanos(), srttNanos + Math.max(4 * rttvarNanos, config.minRtoNanos()));
        backoff = 0;
    }

    /** The timeout to arm now: the computed RTO doubled once per unanswered expiry, capped. */
    long rtoNanos() {
        long rto = baseRtoNanos;
        for (int i = 0; i < backoff && rto < config.maxRtoNanos(); i++) {
            rto <<= 1;
        }
        return Math.min(rto, config.maxRtoNanos());
    }

    /** Doubles the timeout after an expiry (RFC 6298 §5.5). */
    void backOff() {
        if (backoff < MAX_BACKOFF_SHIFT) {
            backoff++;
        }
    }

    /**
     * The handshake completed without a valid RTT sample because the SYN (or SYN-ACK) was
     * retransmitted: data transmission starts with RTO = 3 s (RFC 6298 §5.7, Linux
     * {@code TCP_TIMEOUT_FALLBACK}) and no backoff.
     */
    void handshakeRetransmitted() {
        if (srttNanos < 0) {
            baseRtoNanos = Math.min(config.maxRtoNanos(), Math.max(baseRtoNanos, 3_000_000_000L));
        }
        backoff = 0;
    }

    /** How many times the timer backed off since the last valid sample. */
    int backoff() {
        return backoff;
    }

    /** The smoothed RTT, or -1 before the first sample. */
    long srttNanos() {
        return srttNanos;
    }

    /** The RTT variation. */
    long rttvarNanos() {
        return rttvarNanos;
    }

    /** (Re)arms the retransmission timer for {@link #rtoNanos}; on expiry it calls {@code sender}. */
    void armTimer(Simulation simulation, TcpSender sender) {
        if (timer == null) {
            timer = simulation.timer(sender::retransmitTimerExpired);
        }
        timer.arm(rtoNanos());
    }

    boolean timerArmed() {
        return timer != null && timer.isArmed();
    }

    /** Disarms the retransmission timer and lets it go (a stale queue entry of it is skipped). */
    void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
