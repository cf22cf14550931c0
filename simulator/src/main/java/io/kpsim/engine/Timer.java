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
 *
 * <p>The timer is itself the queue entry: it remembers the sequence number of its live entry, and
 * an entry with another number (left behind by an earlier arm or a cancel) is skipped like a
 * cancelled event. Arming therefore allocates nothing; the queue sees exactly the entries the
 * equivalent one-shot events would make.
 */
public final class Timer extends Scheduled {

    /** The deadline of a timer that is not armed. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;
    /** {@link #queuedSeq} when no queue entry is live (sequence numbers start at 0). */
    private static final long NOT_QUEUED = -1;

    private final Simulation simulation;
    private final Runnable action;
    private final Runnable fire = this::fire;
    private long deadlineNanos = NO_DEADLINE;
    /** The sequence number of the live queue entry, or {@link #NOT_QUEUED}. */
    private long queuedSeq = NOT_QUEUED;
    /** The time of the live queue entry. */
    private long queuedNanos;

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
        if (queuedSeq != NOT_QUEUED && queuedNanos <= timeNanos) {
            return;
        }
        queue(timeNanos);
    }

    /** Queues a new entry; any older one becomes stale. */
    private void queue(long timeNanos) {
        queuedNanos = timeNanos;
        queuedSeq = simulation.enqueue(timeNanos, this);
    }

    /** Disarms the timer; harmless when it is not armed. */
    public void cancel() {
        deadlineNanos = NO_DEADLINE;
        queuedSeq = NOT_QUEUED;
    }

    /** Whether the timer is armed. */
    public boolean isArmed() {
        return deadlineNanos != NO_DEADLINE;
    }

    /** The time the timer expires at, or {@link #NO_DEADLINE}. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    @Override
    Runnable take(long seq) {
        if (seq != queuedSeq) {
            return null;
        }
        queuedSeq = NOT_QUEUED;
        return fire;
    }

    private void fire() {
        if (deadlineNanos == NO_DEADLINE) {
            return;
        }
        if (simulation.now() < deadlineNanos) {
            queue(deadlineNanos);
            return;
        }
        deadlineNanos = NO_DEADLINE;
        action.run();
    }
}
