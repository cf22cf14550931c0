package io.kpsim.tcp;

import io.kpsim.engine.Simulation;
import io.kpsim.engine.Timer;

/**
 * The persist timer (RFC 9293 §3.8.6.1): while the peer's window is closed and nothing is in
 * flight, no ACK will ever arrive by itself, so the sender must probe. The interval starts at the
 * current RTO and doubles per probe up to {@code TCP_RTO_MAX}, as Linux's {@code tcp_probe0_when}
 * computes it; it resets once the window opens and data flows again.
 */
final class PersistTimer {

    private final Simulation simulation;
    private final TcpConfig config;
    private final TcpSender sender;
    private final Runnable probe;
    /** Made the first time the window closes: most connections never see a zero window. */
    private Timer timer;

    private int backoff;

    PersistTimer(Simulation simulation, TcpConfig config, TcpSender sender, Runnable probe) {
        this.simulation = simulation;
        this.config = config;
        this.sender = sender;
        this.probe = probe;
    }

    /** Arms the timer when the sender is {@code stalled}; disarms and resets it otherwise. */
    void update(boolean stalled) {
        if (!stalled) {
            cancel();
            backoff = 0;
        } else if (timer == null || !timer.isArmed()) {
            timer().arm(delay());
        }
    }

    /** A probe went out: wait twice as long for the next one. */
    void probed() {
        backoff++;
        timer().arm(delay());
    }

    void cancel() {
        if (timer != null) {
            timer.cancel();
        }
    }

    private Timer timer() {
        if (timer == null) {
            timer = simulation.timer(probe);
        }
        return timer;
    }

    private long delay() {
        long delay = RtoEstimator.rtoNanos(sender, config);
        for (int i = 0; i < backoff && delay < config.maxRtoNanos(); i++) {
            delay <<= 1;
        }
        return Math.min(delay, config.maxRtoNanos());
    }
}
