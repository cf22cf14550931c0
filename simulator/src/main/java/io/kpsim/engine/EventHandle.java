package io.kpsim.engine;

/**
 * A scheduled one-shot event, returned by {@link Simulation#schedule} so its owner can cancel it.
 *
 * <p>Cancellation is lazy, as in ns-3 ({@code EventId::Cancel} "simply sets a bit"): the event
 * stays in the queue and the run loop skips it when it reaches the head. A handle is always valid:
 * {@link #NONE} stands for "nothing scheduled" and may be cancelled any number of times, so owners
 * can keep a handle field without null checks.
 */
public final class EventHandle extends Scheduled {

    /** The handle of no event: never pending; {@link #cancel()} does nothing. */
    public static final EventHandle NONE = new EventHandle(Long.MIN_VALUE, null);

    private final long timeNanos;
    /** The action still to run; {@code null} once it ran or was cancelled. */
    private Runnable action;

    EventHandle(long timeNanos, Runnable action) {
        this.timeNanos = timeNanos;
        this.action = action;
    }

    /** The virtual time the event is (or was) due at; {@code Long.MIN_VALUE} for {@link #NONE}. */
    public long timeNanos() {
        return timeNanos;
    }

    /** Whether the event is still due to run: scheduled, not yet run, not cancelled. */
    public boolean isPending() {
        return action != null;
    }

    /** Cancels the event if it is still pending; harmless otherwise. */
    public void cancel() {
        action = null;
    }

    /** Takes the action for running, leaving the handle not pending; {@code null} if cancelled. */
    @Override
    Runnable take(long seq) {
        Runnable a = action;
        action = null;
        return a;
    }
}
