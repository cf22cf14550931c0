package io.kpsim.report.html;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpSegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The arrows of one packet's path on the ladder: one from each station (a pod sending or
 * receiving, a node routing or dropping, a link losing it) to the next, each labelled with the
 * packet as it left that station, TCP numbers relative to each side's initial sequence number (as
 * Wireshark shows them) and the window in bytes, scaled as RFC 7323 says once both SYNs offered it.
 */
final class PacketArrows {

    private PacketArrows() {}

    /** The hops of one packet: an arrow from each station to the next. */
    static List<Arrow> hops(Trail t, int packetIndex, List<Lane> lanes, ConnectionBook.Conn conn) {
        List<Arrow> out = new ArrayList<>();
        List<Integer> stations = new ArrayList<>();
        for (int i = 0; i < t.events.size(); i++) {
            if (station(t.events.get(i).point())) {
                stations.add(i);
            }
        }
        for (int k = 0; k < stations.size(); k++) {
            int at = stations.get(k);
            TraceEvent s = t.events.get(at);
            TracePoint p = s.point();
            if (p == TracePoint.POD_SEND || p == TracePoint.POD_INJECT) {
                continue;
            }
            String toName = s.where();
            String fromName = null;
            if (p == TracePoint.LINK_LOSS || p == TracePoint.LINK_QUEUE_DROP) {
                int arrowAt = toName.indexOf("->");
                fromName = arrowAt < 0 ? null : toName.substring(0, arrowAt);
                toName = arrowAt < 0 ? toName : toName.substring(arrowAt + 2);
            }
            TraceEvent pred = null;
            for (int j = k - 1; j >= 0; j--) {
                TraceEvent c = t.events.get(stations.get(j));
                boolean sends = c.point() == TracePoint.POD_SEND
                        || c.point() == TracePoint.POD_INJECT
                        || c.point() == TracePoint.NODE_ROUTE;
                if (sends
                        && (fromName != null
                                ? c.where().equals(fromName)
                                : !c.where().equals(toName))) {
                    pred = c;
                    break;
                }
            }
            int from = pred == null ? -1 : LaneOrder.indexOf(lanes, pred.where());
            int to = LaneOrder.indexOf(lanes, toName);
            if (from < 0 || to < 0) {
                continue;
            }
            Packet carried = pred.packet();
            HopEnd end;
            CtVerdict verdict = null;
            NatRewrite nat = null;
            CtChange change = null;
            String detail = null;
            String action = null;
            switch (p) {
                case NODE_ROUTE:
                case NODE_DROP:
                    verdict = Hops.verdict(s);
                    nat = Hops.nat(carried, s.packet(), verdict, conn);
                    change = t.changes.get(at);
                    end = p == TracePoint.NODE_DROP ? HopEnd.DROPPED : HopEnd.FORWARDED;
                    detail = p == TracePoint.NODE_DROP ? s.detail() : null;
                    break;
                case POD_RECEIVE:
                    end = HopEnd.DELIVERED;
                    for (int j = at + 1; j < t.events.size(); j++) {
                        TraceEvent r = t.events.get(j);
                        if (r.point() == TracePoint.SOCKET
                                && r.reason() != null
                                && r.detail() != null
                                && r.detail().startsWith("received")
                                && ConnectionBook.podOf(r.where()).equals(s.where())) {
                            action = r.reason();
                            detail = r.detail().substring("received: ".length());
                            break;
                        }
                    }
                    break;
                case LINK_LOSS:
                case LINK_QUEUE_DROP:
                    end = HopEnd.LOST;
                    detail = p == TracePoint.LINK_QUEUE_DROP ? "queue full" : "lost";
                    break;
                case POD_SEND:
                case POD_INJECT:
                case LINK_SEND:
                case LINK_DUPLICATE:
                case LINK_HOLD_BACK:
                case LINK_DELIVER:
                case NODE_HOOK:
                case SOCKET:
                default:
                    throw new IllegalStateException("not a hop's head: " + p);
            }
            out.add(new Arrow(
                    -1,
                    packetIndex,
                    t.id,
                    from,
                    to,
                    pred.timeNanos(),
                    s.timeNanos(),
                    carried,
                    relative(carried, conn, true),
                    relative(carried, conn, false),
                    windowBytes(carried, conn),
                    end,
                    verdict,
                    nat,
                    change,
                    detail,
                    action,
                    t.injected()));
        }
        return out;
    }

    private static boolean station(TracePoint p) {
        switch (p) {
            case POD_SEND:
            case POD_INJECT:
            case NODE_ROUTE:
            case NODE_DROP:
            case POD_RECEIVE:
            case LINK_LOSS:
            case LINK_QUEUE_DROP:
                return true;
            case LINK_SEND:
            case LINK_DUPLICATE:
            case LINK_HOLD_BACK:
            case LINK_DELIVER:
            case NODE_HOOK:
            case SOCKET:
                return false;
            default:
                throw new IllegalStateException("unhandled trace point " + p);
        }
    }

    /**
     * {@code seq} relative to the sender's initial sequence number ({@code seq == true}) or
     * {@code ack} relative to the receiver's, as a signed 32-bit distance (a forged segment from
     * before the ISN is negative, where Wireshark would print the 2^32 complement);
     * {@link Arrow#UNKNOWN} when that side's SYN was not seen or the segment carries no ACK.
     */
    static long relative(Packet p, ConnectionBook.Conn conn, boolean seq) {
        if (p.protocol() != Protocol.TCP) {
            return -1;
        }
        TcpSegment s = p.tcp();
        boolean client = conn.fromClient(p);
        long base = seq == client ? conn.clientIsn : conn.serverSynSeen ? conn.serverIsn : -1;
        if (base < 0 || !seq && !s.has(TcpFlags.ACK)) {
            return Arrow.UNKNOWN;
        }
        return PlotBuilder.rel(seq ? s.seq() : s.ack(), base);
    }

    /** The window in bytes (scaled outside SYNs when both SYNs offered scaling), or -1 when unknown. */
    static long windowBytes(Packet p, ConnectionBook.Conn conn) {
        if (p.protocol() != Protocol.TCP || !conn.serverSynSeen) {
            return -1;
        }
        TcpSegment s = p.tcp();
        if (s.has(TcpFlags.SYN) || !conn.scaled()) {
            return s.window();
        }
        int shift = conn.fromClient(p) ? conn.clientScale : conn.serverScale;
        return (long) s.window() << shift;
    }
}
