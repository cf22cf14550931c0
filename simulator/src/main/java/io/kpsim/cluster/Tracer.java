package io.kpsim.cluster;

import io.kpsim.conntrack.CtState;
import io.kpsim.packet.Packet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cluster's single point of emission for trace events. Model code asks {@link #on()} before
 * building anything, so a run without listeners builds no strings and no events.
 */
final class Tracer {

    private final List<TraceListener> listeners = new ArrayList<>();
    /** Per listener, in order: whether it takes hook steps as parts ({@link HookStepListener}). */
    private boolean[] byParts = new boolean[0];

    private final List<NodeArrivalListener> arrivals = new ArrayList<>();
    private boolean on;

    void add(TraceListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("trace listener is null");
        }
        listeners.add(listener);
        byParts = Arrays.copyOf(byParts, listeners.size());
        byParts[listeners.size() - 1] = listener instanceof HookStepListener;
        if (listener instanceof NodeArrivalListener a) {
            arrivals.add(a);
        }
        on = true;
    }

    /** Whether anybody listens; check before building an event. */
    boolean on() {
        return on;
    }

    void emit(TraceEvent event) {
        for (int i = 0; i < listeners.size(); i++) {
            listeners.get(i).onEvent(event);
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
     * Emits a node's hook step ({@link TracePoint#NODE_HOOK}): as parts to the listeners that take
     * them, as one event, made only if some listener needs it, to the others, all in their order.
     */
    void hookStep(long time, long packetId, String node, CtState state, Object step) {
        TraceEvent event = null;
        for (int i = 0; i < byParts.length; i++) {
            TraceListener listener = listeners.get(i);
            if (byParts[i]) {
                ((HookStepListener) listener).onHookStep(time, packetId, node, state, step);
            } else {
                if (event == null) {
                    event = TraceEvent.hookStep(time, packetId, node, state, step);
                }
                listener.onEvent(event);
            }
        }
    }

    /** Emits a node event; {@code nat} and {@code detail} are each a String, a {@link TraceText} or null. */
    void node(
            long time,
            long packetId,
            TracePoint point,
            String where,
            Packet packet,
            CtState state,
            String reason,
            Object nat,
            String verdict,
            Object detail) {
        emit(new TraceEvent(time, packetId, point, where, packet, state, reason, nat, verdict, detail));
    }
}
