package io.kpsim.engine;

/**
 * A re-armable timer with one deadline, for protocol timers that are pushed back far more often
 * than they fire (TCP's retransmission timer is restarted by nearly every ACK, RFC 6298 §5.3).
 *
 * <p>Re-arming to a <em>later</em> deadline does not touch the event queue: the queued event fires
 * at the old time, sees the deadline moved, and re-queues itself once for the new deadline (the
 * Linux {@code sk_reset_timer}/{@code mod_timer} pattern). Re-arming <em>earlier</em> cancels the
 * queued event lazily and schedules a new one. Cancelling costs nothing. A timer is always usable:
 * there is no invalid state.
 */
public final class Timer {

    /** The deadline of a timer that is not armed. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private final Simulation simulation;
    private final Runnable action;
    private final Runnable fire = this::fire;
    private long deadlineNanos = NO_DEADLINE;
    private EventHandle queued = EventHandle.NONE;

    Timer(Simulation simulation, Runnable action) {
        if (action == null) {
            throw new IllegalArgumentException("timer action is null");
        }
        this.simulation = simulation;
        this.action = action;
    }

    /** Arms (or re-arms) the timer to expire {@code delayNanos} from now. */
    public void arm(long delayNanos) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("timer delay " + delayNanos + " ns is negative");
        }
        armAt(simulation.now() + delayNanos);
    }

    /** Arms (or re-arms) the timer to expire at absolute time {@code timeNanos}. */
    public void armAt(long timeNanos) {
        if (timeNanos < simulation.now()) {
            throw new IllegalArgumentException("timer deadline " + Durations.format(timeNanos)
                    + " is before the current time " + Durations.format(simulation.now()));
        }
        deadlineNanos = timeNanos;
        if (queued.isPending() && queued.timeNanos() <= timeNanos) {
            return;
        }
        queued.cancel();
        queued = simulation.scheduleAt(timeNanos, fire);
    }

    /** Disarms the timer; harmless when it is not armed. */
    public void cancel() {
        deadlineNanos = NO_DEADLINE;
        queued.cancel();
        queued = EventHandle.NONE;
    }

    /** Whether the timer is armed. */
    public boolean isArmed() {
        return deadlineNanos != NO_DEADLINE;
    }

    /** The time the timer expires at, or {@link #NO_DEADLINE}. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    private void fire() {
        if (deadlineNanos == NO_DEADLINE) {
            return;
        }
        if (simulation.now() < deadlineNanos) {
            queued = simulation.scheduleAt(deadlineNanos, fire);
            return;
        }
        deadlineNanos = NO_DEADLINE;
        queued = EventHandle.NONE;
        action.run();
    }
}
