package io.kpsim.cluster;

import java.util.EnumSet;
import java.util.Set;

/**
 * A trace listener that takes a link hop (its LINK_SEND and LINK_DELIVER events) with the event of
 * the node or pod the link delivered the packet to ({@link TraceEvent#linkHops()} of its NODE_ROUTE,
 * NODE_DROP or POD_RECEIVE event) instead of as two events of its own: a packet between two pods
 * crosses three links, so the hops are half of the events it would make, and a listener that keeps
 * them only for the few packets it may print (the narration's story) or reads only what the link
 * delivered (a capture) need not be handed each. A hop is handed as events, as before, for a packet
 * the link duplicated or held back (its LINK_DUPLICATE or LINK_HOLD_BACK event falls between them).
 * When no listener takes LINK_SEND or LINK_DELIVER events, the links make none.
 */
public interface LinkHopsListener extends TraceListener {

    /** Every point but {@link TracePoint#LINK_SEND} and {@link TracePoint#LINK_DELIVER}. */
    @Override
    default Set<TracePoint> points() {
        return EnumSet.complementOf(EnumSet.of(TracePoint.LINK_SEND, TracePoint.LINK_DELIVER));
    }
}
