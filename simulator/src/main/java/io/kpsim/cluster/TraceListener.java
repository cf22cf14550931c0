package io.kpsim.cluster;

/**
 * Receives every {@link TraceEvent} of a run, in simulated-time order. Registering none costs the
 * model nothing: events are only built when a listener is present.
 */
@FunctionalInterface
public interface TraceListener {

    /** Called synchronously from the simulation loop; must not re-enter the model. */
    void onEvent(TraceEvent event);
}
