package io.kpsim.cluster;

import io.kpsim.conntrack.CtState;
import io.kpsim.engine.Durations;
import io.kpsim.netfilter.TraceStep;
import io.kpsim.packet.Packet;
import java.util.ArrayList;
import java.util.List;

/**
 * One observation of one packet at one place, or one action of a TCP stack: what reports,
 * narration and pcap output are built from. Fields that do not apply to a point are {@code null}.
 * The model gives the words of {@code where}, {@code nat} and {@code detail} as {@link TraceText}
 * (formatted on first read and kept), so an event nobody prints costs one small object and no
 * string building; readers see plain strings.
 *
 * <ul>
 * <li>{@code timeNanos}: simulated time</li>
 * <li>{@code packetId}: the id the cluster gave the packet when a pod sent it; a duplicate keeps its
 *     original's id; -1 for socket actions not caused by a packet</li>
 * <li>{@code point}: what happened</li>
 * <li>{@code where}: the pod, link or node name</li>
 * <li>{@code packet}: the packet as it is at this point: as sent, as carried, as delivered; for
 *     {@link TracePoint#NODE_ROUTE} and {@link TracePoint#NODE_DROP} as it left the
 *     node's hooks (after NAT); {@code null} for {@link TracePoint#NODE_HOOK} steps
 *     (the node's ROUTE or DROP event follows them) and for socket state changes</li>
 * <li>{@code ctState}: the ctstate the packet carried through the node (hook steps of the conntrack
 *     table, ROUTE and DROP events)</li>
 * <li>{@code reason}: conntrack's words for an INVALID or ignored packet, or why a node dropped it;
 *     for {@link TracePoint#SOCKET} events the TCP stack's action name
 *     ({@code io.kpsim.tcp.SegmentAction}, e.g. {@code NO_SOCKET_RST_SENT}, {@code RST_ACCEPTED})</li>
 * <li>{@code nat}: what NAT did at a hook ("DNAT 10.96.0.10:80 -> 10.244.1.5:8080",
 *     "reverse NAT ...", "no NAT: INVALID"), or {@code null}</li>
 * <li>{@code verdict}: ACCEPT or DROP at a hook, or {@code null}</li>
 * <li>{@code detail}: the hook and rule path, the route taken, or the socket action</li>
 * </ul>
 */
public final class TraceEvent {

    private final long timeNanos;
    private final long packetId;
    private final TracePoint point;
    /** A String, a {@link TraceText} not read yet, or {@code null}; likewise {@link #nat} and {@link #detail}. */
    private Object where;

    private final Packet packet;
    private final CtState ctState;
    private final String reason;
    private Object nat;
    private final String verdict;
    private Object detail;
    /** A node verdict's netfilter steps, handed with it to a {@link HookStepsListener}, or {@code null}. */
    private TraceStep[] steps;

    /**
     * The link that brought this packet here ({@link #linkHops()}), handed with the node's verdict or
     * the pod's receipt to a {@link LinkHopsListener}; {@code null} when none was handed.
     */
    private String hopLink;
    /** The packet as the link carried it (before the node's NAT). */
    private Packet hopPacket;
    /** When the link took the packet, and when it was due at the far end. */
    private long hopSent;

    private long hopArrival;

    /** An event with its words given (tests, and events built outside the model). */
    public TraceEvent(
            long timeNanos,
            long packetId,
            TracePoint point,
            String where,
            Packet packet,
            CtState ctState,
            String reason,
            String nat,
            String verdict,
            String detail) {
        this(timeNanos, packetId, point, (Object) where, packet, ctState, reason, (Object) nat, verdict, (Object)
                detail);
    }

    /**
     * The model's form: {@code where} and {@code nat} are each a String, a TraceText or null;
     * {@code detail} may also be an immutable value whose {@code toString()} gives the words
     * (a hook's {@code TraceStep}), which saves a lambda per hook step.
     */
    TraceEvent(
            long timeNanos,
            long packetId,
            TracePoint point,
            Object where,
            Packet packet,
            CtState ctState,
            String reason,
            Object nat,
            String verdict,
            Object detail) {
        this.timeNanos = timeNanos;
        this.packetId = packetId;
        this.point = point;
        this.where = where;
        this.packet = packet;
        this.ctState = ctState;
        this.reason = reason;
        this.nat = nat;
        this.verdict = verdict;
        this.detail = detail;
    }

    /** Simulated time. */
    public long timeNanos() {
        return timeNanos;
    }

    /** The id the cluster gave the packet, or -1. */
    public long packetId() {
        return packetId;
    }

    /** What happened. */
    public TracePoint point() {
        return point;
    }

    /** The pod, link or node name (for a socket: the pod and the socket's two addresses). */
    public String where() {
        String s = words(where);
        where = s;
        return s;
    }

    /**
     * The NODE_HOOK events that came before this NODE_ROUTE or NODE_DROP event at its node, made from
     * the node's netfilter steps when asked, equal field for field to the events the tracer makes for
     * listeners that take NODE_HOOK; empty when the tracer handed none with this event (it hands them
     * only when a {@link HookStepsListener} listens) and for every other point.
     */
    public List<TraceEvent> hooks() {
        if (steps == null) {
            return List.of();
        }
        List<TraceEvent> hooks = new ArrayList<>(steps.length);
        String node = where();
        for (TraceStep step : steps) {
            hooks.add(hook(timeNanos, packetId, node, ctState, step));
        }
        return hooks;
    }

    /**
     * The NODE_HOOK event of one netfilter {@code step} of a packet at node {@code where}; it carries
     * the packet's ctstate ({@code ctState}) only for conntrack's own steps. The tracer makes these
     * for listeners of NODE_HOOK and {@link #hooks()} for the others, alike.
     */
    static TraceEvent hook(long timeNanos, long packetId, String where, CtState ctState, TraceStep step) {
        return new TraceEvent(
                timeNanos,
                packetId,
                TracePoint.NODE_HOOK,
                (Object) where,
                null,
                "conntrack".equals(step.table()) ? ctState : null,
                null,
                (Object) null,
                null,
                (Object) step); // its toString() is the words, read only if printed
    }

    /**
     * The LINK_SEND and LINK_DELIVER events of the link hop that brought the packet to this NODE_ROUTE,
     * NODE_DROP or POD_RECEIVE event, made when asked, equal field for field to the events the link
     * makes for listeners that take those points; empty when the tracer handed no hop with this event
     * (it hands one only to a {@link LinkHopsListener}, and only for a packet the link neither
     * duplicated nor held back: those hops are events of their own).
     */
    public List<TraceEvent> linkHops() {
        if (hopLink == null) {
            return List.of();
        }
        return List.of(
                linkSend(TracePoint.LINK_SEND, hopSent, packetId, hopLink, hopPacket, hopArrival - hopSent),
                linkDeliver(timeNanos, packetId, hopLink, hopPacket));
    }

    /** Whether {@link #linkHops()} has any. */
    public boolean hasLinkHops() {
        return hopLink != null;
    }

    /** The name of the link of {@link #linkHops()}, or {@code null}: read without making its events. */
    public String linkHopWhere() {
        return hopLink;
    }

    /** The packet as the link of {@link #linkHops()} delivered it, or {@code null}. */
    public Packet linkHopPacket() {
        return hopPacket;
    }

    /** Hands the hop of link {@code link}, which took {@code carried} at {@code sent}, due at {@code arrival}. */
    void linkHop(String link, Packet carried, long sent, long arrival) {
        hopLink = link;
        hopPacket = carried;
        hopSent = sent;
        hopArrival = arrival;
    }

    /**
     * The LINK_SEND (or LINK_HOLD_BACK) event of a packet a link took at {@code sent}, due at the far
     * end {@code delayNanos} later; its words ({@code arrives +512us}) are formatted when read.
     */
    static TraceEvent linkSend(
            TracePoint point, long sent, long packetId, String link, Packet packet, long delayNanos) {
        return new TraceEvent(sent, packetId, point, (Object) link, packet, null, null, (Object) null, null, (TraceText)
                () -> "arrives +" + Durations.format(delayNanos));
    }

    /** The LINK_DELIVER event of a packet that came out of {@code link}'s far end at {@code time}. */
    static TraceEvent linkDeliver(long time, long packetId, String link, Packet packet) {
        return new TraceEvent(
                time,
                packetId,
                TracePoint.LINK_DELIVER,
                (Object) link,
                packet,
                null,
                null,
                (Object) null,
                null,
                (Object) null);
    }

    /** Whether {@link #hooks()} has any. */
    public boolean hasHooks() {
        return steps != null;
    }

    /** Hands {@code hookSteps} with this node verdict (a copy: the walk's list is reused). */
    void steps(List<TraceStep> hookSteps) {
        int n = hookSteps.size();
        if (n == 0) {
            return;
        }
        TraceStep[] copy = new TraceStep[n];
        for (int i = 0; i < n; i++) {
            copy[i] = hookSteps.get(i);
        }
        steps = copy;
    }

    /** The packet as it is at this point, or {@code null}. */
    public Packet packet() {
        return packet;
    }

    /** The ctstate the packet carried through the node, or {@code null}. */
    public CtState ctState() {
        return ctState;
    }

    /** Conntrack's words, why a node dropped the packet, or a socket action's name; or {@code null}. */
    public String reason() {
        return reason;
    }

    /** What NAT did at a hook, or {@code null}. */
    public String nat() {
        String s = words(nat);
        nat = s;
        return s;
    }

    /** ACCEPT or DROP at a hook, or {@code null}. */
    public String verdict() {
        return verdict;
    }

    /** The hook and rule path, the route taken, or the socket action; or {@code null}. */
    public String detail() {
        String s = words(detail);
        detail = s;
        return s;
    }

    /**
     * The words of a lazily formatted field: a string as it is, a {@link TraceText}'s text, or a
     * value whose {@code toString()} is the words (a netfilter TraceStep). Each getter stores the
     * result in place, so the words are made once.
     */
    private static String words(Object field) {
        if (field == null || field instanceof String) {
            return (String) field;
        }
        return field instanceof TraceText t ? t.text() : field.toString();
    }

    /** One line of text with every non-null field, stable across runs (used for digests). */
    public String line() {
        StringBuilder s = new StringBuilder(160);
        s.append(Durations.timestamp(timeNanos))
                .append(' ')
                .append(point)
                .append(' ')
                .append(where());
        if (packetId >= 0) {
            s.append(" #").append(packetId);
        }
        if (packet != null) {
            s.append(" [").append(packet.summary()).append(']');
        }
        if (ctState != null) {
            s.append(" ct=").append(ctState);
        }
        if (reason != null) {
            s.append(" reason=\"").append(reason).append('"');
        }
        String natText = nat();
        if (natText != null) {
            s.append(" nat=\"").append(natText).append('"');
        }
        if (verdict != null) {
            s.append(" verdict=").append(verdict);
        }
        String detailText = detail();
        if (detailText != null) {
            s.append(" (").append(detailText).append(')');
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return line();
    }
}
