package io.kpsim.report.html;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kept events of one packet id, in trace order, with the conntrack changes recorded beside the
 * node events: the raw material of one packet's arrows.
 */
final class Trail {

    final long id;
    final List<TraceEvent> events = new ArrayList<>();
    final List<CtChange> changes = new ArrayList<>();

    Trail(long id) {
        this.id = id;
    }

    /** Groups events by packet id, in order of each id's first event. */
    static List<Trail> of(List<TraceEvent> events, List<CtChange> changes) {
        Map<Long, Trail> byId = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            TraceEvent e = events.get(i);
            Trail t = byId.computeIfAbsent(e.packetId(), Trail::new);
            t.events.add(e);
            t.changes.add(changes.get(i));
        }
        List<Trail> out = new ArrayList<>(byId.values());
        out.removeIf(t -> t.first() == null);
        return out;
    }

    /** The first event that carries the packet (a send, or the first hop the ring still had). */
    TraceEvent first() {
        for (TraceEvent e : events) {
            if (e.point() != TracePoint.SOCKET && e.packet() != null) {
                return e;
            }
        }
        return null;
    }

    /** When the packet was sent (or first seen). */
    long sentNanos() {
        return first().timeNanos();
    }

    /** The packet as sent (or as first seen). */
    Packet packet() {
        return first().packet();
    }

    /** Whether a pod forged it. */
    boolean injected() {
        return first().point() == TracePoint.POD_INJECT;
    }

    /** Whether it is a TCP segment with RST set. */
    boolean rst() {
        Packet p = packet();
        return p.protocol() == Protocol.TCP && p.tcp().has(TcpFlags.RST);
    }

    /** Whether some node's conntrack marked it INVALID or ignored it. */
    boolean notAccepted() {
        for (TraceEvent e : events) {
            if (e.point() == TracePoint.NODE_ROUTE || e.point() == TracePoint.NODE_DROP) {
                CtVerdict v = Hops.verdict(e);
                if (v.invalid() || v.ignored()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The socket event at {@code pod} whose action starts with {@code prefix}, or {@code null}. */
    TraceEvent socket(String pod, String prefix) {
        return socket(pod, prefix, "");
    }

    /**
     * The socket event at {@code pod} whose action starts with {@code prefix} and ends with
     * {@code suffix}, or {@code null}.
     */
    TraceEvent socket(String pod, String prefix, String suffix) {
        for (TraceEvent e : events) {
            if (e.point() == TracePoint.SOCKET
                    && e.reason() != null
                    && e.reason().startsWith(prefix)
                    && e.reason().endsWith(suffix)
                    && ConnectionBook.podOf(e.where()).equals(pod)) {
                return e;
            }
        }
        return null;
    }
}
