package io.kpsim.cluster;

import java.util.EnumSet;
import java.util.Set;

/**
 * Receives every {@link TraceEvent} of a run, in simulated-time order. Registering none costs the
 * model nothing: events are only built when a listener is present.
 */
@FunctionalInterface
public interface TraceListener {

    /** Called synchronously from the simulation loop; must not re-enter the model. */
    void onEvent(TraceEvent event);

    /**
     * The points whose events this listener reads, asked once when it is added: the tracer calls
     * {@link #onEvent} for those only, so a listener that ignores hops is not handed one for every
     * hop of every packet. Every point unless a listener says otherwise.
     */
    default Set<TracePoint> points() {
        return EnumSet.allOf(TracePoint.class);
    }
}
