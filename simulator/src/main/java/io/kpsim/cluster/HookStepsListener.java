package io.kpsim.cluster;

import java.util.EnumSet;
import java.util.Set;

/**
 * A trace listener that takes a node's netfilter steps with the node's verdict
 * ({@link TraceEvent#hooks()} of its NODE_ROUTE or NODE_DROP event) instead of one NODE_HOOK event
 * per step: the steps are more than half of a run's events, and a listener that keeps them only
 * for the few packets it may print (the narration's story) need not be handed each. When no
 * listener takes NODE_HOOK events, the model makes none.
 */
public interface HookStepsListener extends TraceListener {

    /** Every point but {@link TracePoint#NODE_HOOK}. */
    @Override
    default Set<TracePoint> points() {
        return EnumSet.complementOf(EnumSet.of(TracePoint.NODE_HOOK));
    }
}
