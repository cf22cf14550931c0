package io.kpsim.cluster;

import io.kpsim.conntrack.CtState;
import io.kpsim.engine.Durations;
import io.kpsim.packet.Packet;

/**
 * One observation of one packet at one place, or one action of a TCP stack: what reports,
 * narration and pcap output are built from. Fields that do not apply to a point are {@code null}.
 *
 * @param timeNanos simulated time
 * @param packetId the id the cluster gave the packet when a pod sent it; a duplicate keeps its
 *                 original's id; -1 for socket actions not caused by a packet
 * @param point what happened
 * @param where the pod, link or node name
 * @param packet the packet as it is at this point: as sent, as carried, as delivered; for
 *               {@link TracePoint#NODE_ROUTE} and {@link TracePoint#NODE_DROP} as it left the
 *               node's hooks (after NAT); {@code null} for {@link TracePoint#NODE_HOOK} steps
 *               (the node's ROUTE or DROP event follows them) and for socket state changes
 * @param ctState the ctstate the packet carried through the node (hook steps of the conntrack
 *                table, ROUTE and DROP events)
 * @param reason conntrack's words for an INVALID or ignored packet, or why a node dropped it;
 *               for {@link TracePoint#SOCKET} events the TCP stack's action name
 *               ({@code io.kpsim.tcp.SegmentAction}, e.g. {@code NO_SOCKET_RST_SENT}, {@code RST_ACCEPTED})
 * @param nat what NAT did at a hook ("DNAT 10.96.0.10:80 -> 10.244.1.5:8080",
 *            "reverse NAT ...", "no NAT: INVALID"), or {@code null}
 * @param verdict ACCEPT or DROP at a hook, or {@code null}
 * @param detail the hook and rule path, the route taken, or the socket action
 */
public record TraceEvent(
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

    /** One line of text with every non-null field, stable across runs (used for digests). */
    public String line() {
        StringBuilder s = new StringBuilder(160);
        s.append(Durations.timestamp(timeNanos))
                .append(' ')
                .append(point)
                .append(' ')
                .append(where);
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
        if (nat != null) {
            s.append(" nat=\"").append(nat).append('"');
        }
        if (verdict != null) {
            s.append(" verdict=").append(verdict);
        }
        if (detail != null) {
            s.append(" (").append(detail).append(')');
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return line();
    }
}
