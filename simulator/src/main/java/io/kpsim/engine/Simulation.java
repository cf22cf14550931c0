package io.kpsim.engine;

import java.util.function.LongConsumer;

/**
 * One discrete-event simulation: a virtual clock in nanoseconds and the events due on it.
 *
 * <p>The run loop mirrors ns-3's {@code DefaultSimulatorImpl::ProcessOneEvent}: take the head of
 * the future-event list, advance the clock to its time, invoke it. Time never goes backwards and
 * events due at the same instant run in the order they were scheduled. Unlike ns-3 there is no
 * static facade: tests and benchmarks create as many instances as they like, and models receive
 * theirs explicitly. Nothing here reads the wall clock.
 *
 * <p>Not thread-safe: a simulation runs on one thread, as the kernel paths it models are
 * serialised per packet anyway.
 */
public final class Simulation {

    private final EventQueue queue = new EventQueue();
    private long nowNanos;
    private long eventsProcessed;
    private boolean stopRequested;
    private boolean running;
    private LongConsumer watcher;
    private long watchEvery;
    private long untilWatch;

    /** A simulation at virtual time 0 with no events. */
    public Simulation() {}

    /** The current virtual time in nanoseconds. */
    public long now() {
        return nowNanos;
    }

    /** How many events have run (cancelled events are not counted). */
    public long eventsProcessed() {
        return eventsProcessed;
    }

    /** How many events are queued, including lazily cancelled ones not yet skipped. */
    public int queuedEvents() {
        return queue.size();
    }

    /**
     * Schedules {@code action} to run {@code delayNanos} after now.
     *
     * @throws IllegalArgumentException if the delay is negative
     */
    public EventHandle schedule(long delayNanos, Runnable action) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("event delay " + delayNanos + " ns is negative");
        }
        return scheduleAt(nowNanos + delayNanos, action);
    }

    /**
     * Schedules {@code action} to run at absolute virtual time {@code timeNanos}.
     *
     * @throws IllegalArgumentException if the time is in the past or the action is null
     */
    public EventHandle scheduleAt(long timeNanos, Runnable action) {
        if (timeNanos < nowNanos) {
            throw new IllegalArgumentException("event time " + Durations.format(timeNanos)
                    + " is before the current time " + Durations.format(nowNanos));
        }
        if (action == null) {
            throw new IllegalArgumentException("scheduled action is null");
        }
        EventHandle handle = new EventHandle(timeNanos, action);
        queue.add(timeNanos, handle);
        return handle;
    }

    /** Queues a timer's expiry (no check: {@link Timer} validated the time); returns the entry's number. */
    long enqueue(long timeNanos, Timer timer) {
        return queue.add(timeNanos, timer);
    }

    /** A re-armable timer that runs {@code action} when it expires; see {@link Timer}. */
    public Timer timer(Runnable action) {
        return new Timer(this, action);
    }

    /** Runs until no events remain or {@link #stop()} is called. */
    public void run() {
        loop(Long.MAX_VALUE);
    }

    /**
     * Runs every event due at or before {@code endNanos}, then sets the clock to {@code endNanos}
     * (unless {@link #stop()} ended the run earlier). Later events stay queued.
     *
     * @throws IllegalArgumentException if {@code endNanos} is in the past
     */
    public void runUntil(long endNanos) {
        if (endNanos < nowNanos) {
            throw new IllegalArgumentException("run end " + Durations.format(endNanos) + " is before the current time "
                    + Durations.format(nowNanos));
        }
        if (loop(endNanos)) {
            nowNanos = endNanos;
        }
    }

    /** Runs for {@code durationNanos} of virtual time from now. */
    public void runFor(long durationNanos) {
        if (durationNanos < 0) {
            throw new IllegalArgumentException("run duration " + durationNanos + " ns is negative");
        }
        runUntil(nowNanos + durationNanos);
    }

    /**
     * Has {@code watcher} told the virtual time after every {@code everyEvents} events, so a progress
     * display can follow a long stretch of {@link #runUntil} without the run being cut into pieces.
     * The watcher only looks: it must not schedule events or touch the model, so watching never
     * changes a run. {@code null} stops watching.
     */
    public void watch(long everyEvents, LongConsumer watcher) {
        if (everyEvents < 1) {
            throw new IllegalArgumentException("watch interval " + everyEvents + " events is not positive");
        }
        this.watcher = watcher;
        this.watchEvery = everyEvents;
        this.untilWatch = everyEvents;
    }

    /** Asks the running loop to return after the current event; queued events are kept. */
    public void stop() {
        stopRequested = true;
    }

    /** Returns whether the loop ended without {@link #stop()}. */
    private boolean loop(long endNanos) {
        if (running) {
            throw new IllegalStateException("the simulation is already running (re-entrant run)");
        }
        running = true;
        stopRequested = false;
        try {
            boolean due = true;
            while (due && !stopRequested) {
                due = runNext(endNanos); // one event: the loop's body is a method, compiled after a few thousand
            }
            return !stopRequested;
        } finally {
            running = false;
        }
    }

    /**
     * Runs the head event if it is due at or before {@code endNanos} (a cancelled one is only taken
     * off); returns false when no event is due. One call per event, so the JIT compiles the run
     * loop's body after a few thousand events, as a method: a loop that runs once per slice of the
     * run would wait for on-stack replacement, and run interpreted for the first hundreds of
     * thousands of events.
     */
    private boolean runNext(long endNanos) {
        if (queue.isEmpty() || queue.peekTime() > endNanos) {
            return false;
        }
        long time = queue.peekTime();
        long seq = queue.peekSeq();
        Runnable action = queue.poll().take(seq);
        if (action == null) {
            return true;
        }
        nowNanos = time;
        eventsProcessed++;
        action.run();
        if (watcher != null && --untilWatch == 0) {
            untilWatch = watchEvery;
            watcher.accept(nowNanos);
        }
        return true;
    }
}
