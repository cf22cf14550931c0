package io.kpsim.engine;

/**
 * What the future-event list holds: a one-shot {@link EventHandle}, or a {@link Timer} that
 * queues itself for its expiry so that re-arming a timer allocates nothing (as a kernel
 * {@code struct timer_list} is embedded in its owner and re-queued by {@code mod_timer()}).
 */
abstract class Scheduled {

    /**
     * Takes the action due for the queue entry numbered {@code seq}, leaving the entry spent;
     * {@code null} when that entry was cancelled (or superseded by a later arm of the same timer).
     */
    abstract Runnable take(long seq);
}
