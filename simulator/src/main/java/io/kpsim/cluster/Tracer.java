package io.kpsim.cluster;

import io.kpsim.conntrack.CtState;
import io.kpsim.netfilter.TraceStep;
import io.kpsim.packet.Packet;
import io.kpsim.tcp.SegmentAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The cluster's single point of emission for trace events. Model code asks {@link #on()} before
 * building anything, so a run without listeners builds no strings and no events.
 */
final class Tracer {

    /** The listeners of each point ({@link TraceListener#points()}), by ordinal, in the order they were added. */
    private final TraceListener[][] byPoint = new TraceListener[TracePoint.values().length][0];

    /**
     * The listeners a link hands a hop as events when it cannot hand it with the arrival (a duplicated
     * or held-back packet): those of {@link #byPoint} and the {@link LinkHopsListener}s, in the order
     * they were added; by ordinal, for LINK_SEND and LINK_DELIVER only.
     */
    private final TraceListener[][] hopEvents = new TraceListener[TracePoint.values().length][0];

    private final List<NodeArrivalListener> arrivals = new ArrayList<>();
    /** The listeners of SOCKET events that say which receipts they read ({@link #wantsReceipt}). */
    private SegmentReceiptsListener[] receipts = new SegmentReceiptsListener[0];
    /** Whether a listener of SOCKET events reads every receipt (it is no {@link SegmentReceiptsListener}). */
    private boolean everyReceipt;

    private boolean on;
    /** Whether a {@link HookStepsListener} listens: node verdicts then carry their netfilter steps. */
    private boolean stepsWithVerdicts;
    /** Whether a {@link LinkHopsListener} listens: arrivals then carry the hop of the link that brought them. */
    private boolean hopsWithArrivals;

    /** The hop a link is delivering, until the node's verdict or the pod's receipt takes it; {@code null} between. */
    private String hopLink;

    private Packet hopPacket;
    private long hopId;
    private long hopSent;
    private long hopArrival;

    void add(TraceListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("trace listener is null");
        }
        Set<TracePoint> points = listener.points();
        for (TracePoint point : points) {
            append(byPoint, point, listener);
        }
        boolean hops = listener instanceof LinkHopsListener;
        for (TracePoint point : List.of(TracePoint.LINK_SEND, TracePoint.LINK_DELIVER)) {
            if (hops || points.contains(point)) {
                append(hopEvents, point, listener);
            }
        }
        if (listener instanceof HookStepsListener) {
            stepsWithVerdicts = true;
        }
        if (hops) {
            hopsWithArrivals = true;
        }
        if (points.contains(TracePoint.SOCKET)) {
            if (listener instanceof SegmentReceiptsListener r) {
                receipts = Arrays.copyOf(receipts, receipts.length + 1);
                receipts[receipts.length - 1] = r;
            } else {
                everyReceipt = true;
            }
        }
        if (listener instanceof NodeArrivalListener a) {
            arrivals.add(a);
        }
        on = true;
    }

    private static void append(TraceListener[][] table, TracePoint point, TraceListener listener) {
        TraceListener[] those = table[point.ordinal()];
        those = Arrays.copyOf(those, those.length + 1);
        those[those.length - 1] = listener;
        table[point.ordinal()] = those;
    }

    /** Whether anybody listens; check before building an event. */
    boolean on() {
        return on;
    }

    /** Whether some listener takes {@code point}'s events; check before building one. */
    boolean wants(TracePoint point) {
        return byPoint[point.ordinal()].length > 0;
    }

    /**
     * Whether some listener reads the SOCKET event of a stack's receipt of packet {@code packetId}
     * with {@code action}; check before making it.
     */
    boolean wantsReceipt(long packetId, SegmentAction action) {
        if (everyReceipt) {
            return true;
        }
        for (SegmentReceiptsListener r : receipts) {
            if (r.wantsReceipt(packetId, action)) {
                return true;
            }
        }
        return false;
    }

    /** Hands {@code event} to the listeners of its point, in the order they were added. */
    void emit(TraceEvent event) {
        emit(byPoint[event.point().ordinal()], event);
    }

    private static void emit(TraceListener[] those, TraceEvent event) {
        for (int i = 0; i < those.length; i++) {
            those[i].onEvent(event);
        }
    }

    /**
     * Whether a link hands its hops with the arrivals ({@link #handOn}): some {@link LinkHopsListener}
     * listens. Else, or for a packet it duplicates or holds back, it hands them as events.
     */
    boolean hopsWithArrivals() {
        return hopsWithArrivals;
    }

    /**
     * Whether a link that cannot hand a hop with its arrival makes the hop's {@code point} event
     * (LINK_SEND, LINK_DELIVER) for somebody.
     */
    boolean wantsHopEvent(TracePoint point) {
        return hopEvents[point.ordinal()].length > 0;
    }

    /**
     * Hands a LINK_SEND or LINK_DELIVER {@code event} that goes with no arrival to the listeners of
     * its point and to the {@link LinkHopsListener}s.
     */
    void hopEvent(TraceEvent event) {
        emit(hopEvents[event.point().ordinal()], event);
    }

    /**
     * A link is delivering packet {@code packetId} ({@code packet}, taken at {@code sent}, due at
     * {@code arrival}) to its far end, which must take the hop with its next event of that packet:
     * the node's verdict or the pod's receipt, made synchronously within the delivery.
     */
    void handOn(String link, long packetId, Packet packet, long sent, long arrival) {
        handedOn(); // the previous delivery's hop must have been taken
        hopLink = link;
        hopId = packetId;
        hopPacket = packet;
        hopSent = sent;
        hopArrival = arrival;
    }

    /** After a delivery: throws if its hop was not taken (a receiver that made no event: a bug). */
    void handedOn() {
        if (hopLink != null) {
            throw new IllegalStateException("link " + hopLink + "'s hop of packet " + hopId + " was never handed on");
        }
    }

    /** Gives {@code e} the hop being delivered, if it is of {@code e}'s packet. */
    private void takeHop(TraceEvent e, long packetId) {
        if (hopLink != null && hopId == packetId) {
            e.linkHop(hopLink, hopPacket, hopSent, hopArrival);
            hopLink = null;
            hopPacket = null;
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

    /** Emits a pod's POD_RECEIVE event, with the hop of the link that delivered it, if one is being handed on. */
    void received(long time, long packetId, String where, Packet packet) {
        TraceEvent e =
                new TraceEvent(time, packetId, TracePoint.POD_RECEIVE, where, packet, null, null, null, null, null);
        takeHop(e, packetId);
        emit(e);
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
        takeHop(e, packetId);
        emit(e);
    }

    /** Emits the NODE_HOOK event of one netfilter {@code step} of a packet at node {@code where}. */
    void hook(long time, long packetId, String where, CtState state, TraceStep step) {
        emit(TraceEvent.hook(time, packetId, where, state, step));
    }
}
