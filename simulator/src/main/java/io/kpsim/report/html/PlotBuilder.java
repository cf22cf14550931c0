package io.kpsim.report.html;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpSegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns a {@link Capture} into the {@link WindowPlot} of the anchor's direction at the node whose
 * conntrack judged it (the last node that marked it INVALID or ignored it: for the blog, the
 * client's node, where the reverse NAT was skipped). Everything is read at that node, as a capture
 * taken there would show it: the sender's segments, the receiver's ACKs and windows, and, when the
 * trace records entries, conntrack's {@code td_end}, {@code td_maxend} and
 * {@code td_end - td_maxwin} after each packet.
 */
final class PlotBuilder {

    /** Segments kept before the anchor (the plot's left part). */
    static final int BEFORE = 300;
    /** Segments kept after it. */
    static final int AFTER = 150;

    private PlotBuilder() {}

    /** The plot, or {@code null} when the anchor never reached a node. */
    static WindowPlot build(Capture capture, Ladder ladder) {
        List<Trail> trails = Trail.of(capture.events, capture.changes);
        trails.sort(Comparator.comparingLong(Trail::sentNanos).thenComparingLong(t -> t.id));
        Trail anchor = null;
        for (Trail t : trails) {
            if (t.id == capture.anchorId) {
                anchor = t;
            }
        }
        if (anchor == null) {
            return null;
        }
        String node = judgingNode(anchor);
        if (node == null) {
            return null;
        }
        ConnectionBook.Conn conn = capture.conn;
        boolean senderIsClient = conn.fromClient(anchor.packet());
        long isn = senderIsClient ? conn.clientIsn : conn.serverSynSeen ? conn.serverIsn : -1;
        List<Hit> hits = new ArrayList<>();
        for (Trail t : trails) {
            for (int i = 0; i < t.events.size(); i++) {
                TraceEvent e = t.events.get(i);
                if ((e.point() == TracePoint.NODE_ROUTE || e.point() == TracePoint.NODE_DROP)
                        && e.where().equals(node)
                        && e.packet().protocol() == Protocol.TCP) {
                    hits.add(new Hit(t, e, t.changes.get(i)));
                }
            }
        }
        hits.sort(Comparator.comparingLong(h -> h.event.timeNanos()));
        long base = isn >= 0 ? isn : firstSeq(hits, conn, senderIsClient);
        int anchorAt = 0;
        for (int i = 0; i < hits.size(); i++) {
            if (hits.get(i).trail.id == capture.anchorId) {
                anchorAt = i;
                break;
            }
        }
        int laneOfNode = ladder == null ? -1 : LaneOrder.indexOf(ladder.lanes(), node);
        List<PlotSegment> segments = new ArrayList<>();
        List<PlotPoint> ack = new ArrayList<>();
        List<PlotPoint> edge = new ArrayList<>();
        List<PlotPoint> tdEnd = new ArrayList<>();
        List<PlotPoint> tdMaxEnd = new ArrayList<>();
        List<PlotPoint> lower = new ArrayList<>();
        List<PlotMark> marks = new ArrayList<>();
        int start = anchorAt;
        int sendersBefore = 0;
        while (start > 0 && sendersBefore < BEFORE) {
            start--;
            if (conn.fromClient(hits.get(start).event.packet()) == senderIsClient) {
                sendersBefore++;
            }
        }
        int sendersAfter = 0;
        for (int i = start; i < hits.size(); i++) {
            Hit h = hits.get(i);
            Packet p = h.event.packet();
            boolean fromSender = conn.fromClient(p) == senderIsClient;
            if (i > anchorAt && fromSender && ++sendersAfter > AFTER) {
                break;
            }
            TcpSegment s = p.tcp();
            long t = h.event.timeNanos();
            CtVerdict v = Hops.verdict(h.event);
            int arrow = arrowOf(ladder, h.trail.id, laneOfNode);
            if (fromSender) {
                long seq = rel(s.seq(), base);
                long end = rel(s.end(), base);
                if (s.payloadLength() > 0 || s.has(TcpFlags.SYN) || s.has(TcpFlags.FIN)) {
                    segments.add(new PlotSegment(t, seq, end, v, arrow));
                }
                if (v.invalid() || v.ignored()) {
                    WindowBound bound = WindowBound.named(v.reason());
                    marks.add(new PlotMark(
                            t, seq, end, v, bound, boundValue(bound, v, h.change, conn, senderIsClient, base), arrow));
                }
            } else if (s.has(TcpFlags.ACK) && !s.has(TcpFlags.RST)) {
                long a = rel(s.ack(), base);
                add(ack, t, a);
                long window = PacketArrows.windowBytes(p, conn);
                if (window >= 0) {
                    add(edge, t, a + window);
                }
            }
            if (h.change != null && h.change.after() != null) {
                CtWindow snd = side(h.change.after(), conn, senderIsClient);
                CtWindow rcv = side(h.change.after(), conn, !senderIsClient);
                if (snd.tdMaxWin() == 0 || rcv.tdMaxWin() == 0) {
                    continue; // a direction that has sent nothing yet (before the SYN-ACK) has no bounds
                }
                add(tdEnd, t, rel((int) snd.tdEnd(), base));
                add(tdMaxEnd, t, rel((int) snd.tdMaxEnd(), base));
                add(lower, t, rel((int) (snd.tdEnd() - rcv.tdMaxWin()), base));
            }
        }
        Address sender = senderIsClient ? conn.client : conn.endpoint != null ? conn.endpoint : conn.service;
        Address receiver = senderIsClient ? conn.endpoint != null ? conn.endpoint : conn.service : conn.client;
        String senderPod = senderIsClient ? conn.clientPod : conn.endpointPod;
        String receiverPod = senderIsClient ? conn.endpointPod : conn.clientPod;
        String title = senderPod + " " + sender + " \u2192 " + receiverPod + " " + receiver + ", as " + node
                + "'s conntrack saw it";
        return new WindowPlot(
                title,
                node,
                senderPod,
                sender,
                receiverPod,
                receiver,
                base,
                segments,
                ack,
                edge,
                tdEnd,
                tdMaxEnd,
                lower,
                marks);
    }

    /** One packet at the plot's node. */
    private record Hit(Trail trail, TraceEvent event, CtChange change) {}

    /** The last node where the anchor was INVALID or ignored, else the last node it crossed. */
    static String judgingNode(Trail anchor) {
        String judged = null;
        String last = null;
        for (TraceEvent e : anchor.events) {
            if (e.point() == TracePoint.NODE_ROUTE || e.point() == TracePoint.NODE_DROP) {
                last = e.where();
                CtVerdict v = Hops.verdict(e);
                if (v.invalid() || v.ignored()) {
                    judged = e.where();
                }
            }
        }
        return judged != null ? judged : last;
    }

    private static long boundValue(
            WindowBound bound,
            CtVerdict v,
            CtChange change,
            ConnectionBook.Conn conn,
            boolean senderIsClient,
            long base) {
        if (bound == WindowBound.SEQ_UPPER || bound == WindowBound.SEQ_LOWER) {
            if (change != null && change.before() != null) {
                CtWindow snd = side(change.before(), conn, senderIsClient);
                CtWindow rcv = side(change.before(), conn, !senderIsClient);
                long value = bound == WindowBound.SEQ_UPPER ? snd.tdMaxEnd() : snd.tdEnd() - rcv.tdMaxWin();
                return rel((int) value, base);
            }
            long printed = WindowBound.printedValue(v.reason());
            if (printed >= 0) {
                // 6.1+ prints the first number past the bound: td_maxend + 1, td_end - td_maxwin - 1.
                return rel((int) (bound == WindowBound.SEQ_UPPER ? printed - 1 : printed + 1), base);
            }
        }
        return PlotMark.UNKNOWN;
    }

    /** The entry's window tracking for the client's side or the server's. */
    private static CtWindow side(CtEntry entry, ConnectionBook.Conn conn, boolean client) {
        boolean clientIsOriginal =
                entry.original().srcIp() == conn.client.ip() && entry.original().srcPort() == conn.client.port();
        return client == clientIsOriginal ? entry.originalWindow() : entry.replyWindow();
    }

    private static int arrowOf(Ladder ladder, long packetId, int lane) {
        if (ladder == null || lane < 0) {
            return -1;
        }
        for (Arrow a : ladder.arrows()) {
            if (a.packetId() == packetId && a.to() == lane) {
                return a.index();
            }
        }
        return -1;
    }

    private static long firstSeq(List<Hit> hits, ConnectionBook.Conn conn, boolean senderIsClient) {
        for (Hit h : hits) {
            if (conn.fromClient(h.event.packet()) == senderIsClient) {
                return Integer.toUnsignedLong(h.event.packet().tcp().seq());
            }
        }
        return 0;
    }

    /** A 32-bit sequence number relative to {@code base}, signed (a retransmission may lie below it). */
    static long rel(int seq, long base) {
        return (int) (seq - (int) base);
    }

    private static void add(List<PlotPoint> line, long t, long value) {
        if (line.isEmpty() || line.get(line.size() - 1).value() != value) {
            line.add(new PlotPoint(t, value));
        }
    }
}
