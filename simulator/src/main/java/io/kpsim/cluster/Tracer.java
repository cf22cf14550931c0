package io.kpsim.cluster;

import io.kpsim.conntrack.CtState;
import io.kpsim.netfilter.TraceStep;
import io.kpsim.packet.Packet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cluster's single point of emission for trace events. Model code asks {@link #on()} before
 * building anything, so a run without listeners builds no strings and no events.
 */
final class Tracer {

    /** The listeners of each point ({@link TraceListener#points()}), by ordinal, in the order they were added. */
    private final TraceListener[][] byPoint = new TraceListener[TracePoint.values().length][0];

    private final List<NodeArrivalListener> arrivals = new ArrayList<>();
    private boolean on;
    /** Whether a {@link HookStepsListener} listens: node verdicts then carry their netfilter steps. */
    private boolean stepsWithVerdicts;

    void add(TraceListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("trace listener is null");
        }
        for (TracePoint point : listener.points()) {
            TraceListener[] those = byPoint[point.ordinal()];
            those = Arrays.copyOf(those, those.length + 1);
            those[those.length - 1] = listener;
            byPoint[point.ordinal()] = those;
        }
        if (listener instanceof HookStepsListener) {
            stepsWithVerdicts = true;
        }
        if (listener instanceof NodeArrivalListener a) {
            arrivals.add(a);
        }
        on = true;
    }

    /** Whether anybody listens; check before building an event. */
    boolean on() {
        return on;
    }

    /** Whether some listener takes {@code point}'s events; check before building one. */
    boolean wants(TracePoint point) {
        return byPoint[point.ordinal()].length > 0;
    }

    /** Hands {@code event} to the listeners of its point, in the order they were added. */
    void emit(TraceEvent event) {
        TraceListener[] those = byPoint[event.point().ordinal()];
        for (int i = 0; i < those.length; i++) {
            those[i].onEvent(event);
        }
    }

    /** Tells the arrival listeners that {@code packet} reaches {@code node}'s hooks. */
    void arriving(Node node, long packetId, Packet packet, long time) {
        for (int i = 0; i < arrivals.size(); i++) {
            arrivals.get(i).arriving(node, packetId, packet, time);
        }
    }

    /** Emits a packet-only event (pods and links); {@code detail} is a String, a {@link TraceText} or null. */
    void packet(long time, long packetId, TracePoint point, String where, Packet packet, Object detail) {
        emit(new TraceEvent(time, packetId, point, where, packet, null, null, null, null, detail));
    }

    /**
     * Emits a node's ROUTE or DROP event with the walk's {@code steps} (read now: the list is
     * reused), which a {@link HookStepsListener} reads from it instead of one NODE_HOOK event each.
     */
    void verdict(
            long time,
            long packetId,
            TracePoint point,
            String where,
            Packet packet,
            CtState state,
            String reason,
            Object nat,
            String verdict,
            Object detail,
            List<TraceStep> steps) {
        TraceEvent e = new TraceEvent(time, packetId, point, where, packet, state, reason, nat, verdict, detail);
        if (stepsWithVerdicts) {
            e.steps(steps);
        }
        emit(e);
    }

    /** Emits the NODE_HOOK event of one netfilter {@code step} of a packet at node {@code where}. */
    void hook(long time, long packetId, String where, CtState state, TraceStep step) {
        emit(TraceEvent.hook(time, packetId, where, state, step));
    }
}
