/**
 * The discrete-event core: virtual time as {@code long} nanoseconds, a future-event list ordered by
 * (time, insertion sequence), cancellable one-shot events and re-armable timers, and seeded random
 * streams.
 *
 * <p>Modelled on ns-3's {@code DefaultSimulatorImpl}/{@code Scheduler}/{@code EventId}, without its
 * static facade: every {@link io.kpsim.engine.Simulation} is an explicit instance. This package
 * depends on nothing else in kpsim (not even {@code packet}) and never reads the wall clock, so two
 * runs with the same seed are identical event for event.
 */
package io.kpsim.engine;
