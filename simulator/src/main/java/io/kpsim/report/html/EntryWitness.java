package io.kpsim.report.html;

import io.kpsim.cluster.Node;
import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.EntryView;
import io.kpsim.conntrack.Tuple;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The conntrack entries behind a node's verdicts: for each TCP packet arriving at a node, the entry
 * its tuple finds in either direction just before {@code nf_conntrack_in()} (told by
 * {@link io.kpsim.cluster.NodeArrivalListener}), and the same entry once the node is done with the
 * packet (at its {@code NODE_ROUTE} or {@code NODE_DROP} event, which follows at once). Both are
 * read through {@link EntryView}, which neither reaps nor counts, so recording the entries does not
 * change the run.
 *
 * <p>An entry that did not change is handed out as the same {@link CtEntry} object again (per node
 * and entry id), so a long capture holds one copy of each state an entry went through.
 */
final class EntryWitness {

    /**
     * One node's view and the last entry record built for each of its entry ids (indexed by the id,
     * a slot of the node's table: no boxed key and no hashing for each packet).
     */
    private static final class NodeEntries {
        final String name;
        final Conntrack table;
        final EntryView view;
        CtEntry[] last = new CtEntry[64];

        NodeEntries(String name, Conntrack table) {
            this.name = name;
            this.table = table;
            this.view = new EntryView(table);
        }

        CtEntry last(int entry) {
            return entry < last.length ? last[entry] : null;
        }

        void remember(int entry, CtEntry made) {
            if (entry >= last.length) {
                last = Arrays.copyOf(last, Math.max(entry + 1, 2 * last.length));
            }
            last[entry] = made;
        }
    }

    /** The nodes seen so far (a handful: found by a scan, most often the first try). */
    private final List<NodeEntries> nodes = new ArrayList<>();

    private long pendingId = -1;
    private String pendingNode;
    private NodeEntries pendingEntries;
    private Packet pendingPacket;
    private CtEntry pendingBefore;

    /** Reads the entry {@code packet} finds at {@code node} before the node's hooks run. */
    void arriving(Node node, long packetId, Packet packet, long nowNanos) {
        arriving(node.name(), node.conntrack(), packetId, packet, nowNanos);
    }

    /**
     * Reads the entry {@code packet} finds in {@code conntrack}, the table of the node called
     * {@code nodeName}, before the node's hooks run (a replayed capture's node).
     */
    void arriving(String nodeName, Conntrack conntrack, long packetId, Packet packet, long nowNanos) {
        if (packet.protocol() != Protocol.TCP) {
            pendingId = -1;
            return;
        }
        NodeEntries n = node(nodeName, conntrack);
        pendingId = packetId;
        pendingNode = nodeName;
        pendingEntries = n;
        pendingPacket = packet;
        pendingBefore = entry(n, packet, nowNanos);
    }

    private NodeEntries node(String nodeName, Conntrack conntrack) {
        for (int i = 0; i < nodes.size(); i++) {
            NodeEntries n = nodes.get(i);
            if (n.name.equals(nodeName)) {
                if (n.table != conntrack) {
                    // a replay starts each file from a fresh table: entry ids of the old one mean nothing there
                    n = new NodeEntries(nodeName, conntrack);
                    nodes.set(i, n);
                }
                return n;
            }
        }
        NodeEntries n = new NodeEntries(nodeName, conntrack);
        nodes.add(n);
        return n;
    }

    /**
     * The entry before and after {@code nodeEvent}'s packet, or {@code null} when the packet's
     * arrival was not seen (not TCP); both sides {@code null} when the tuple found no entry.
     */
    CtChange at(TraceEvent nodeEvent) {
        return at(nodeEvent, nodeEvent.timeNanos());
    }

    /** As {@link #at(TraceEvent)}, reading the entry after the packet at conntrack's clock {@code nowNanos}. */
    CtChange at(TraceEvent nodeEvent, long nowNanos) {
        if (nodeEvent.point() != TracePoint.NODE_ROUTE && nodeEvent.point() != TracePoint.NODE_DROP
                || nodeEvent.packetId() != pendingId
                || !nodeEvent.where().equals(pendingNode)) {
            return null;
        }
        pendingId = -1;
        CtEntry after = entry(pendingEntries, pendingPacket, nowNanos);
        return new CtChange(pendingBefore, after);
    }

    private static CtEntry entry(NodeEntries n, Packet p, long now) {
        EntryView v = n.view;
        int e = v.find(Protocol.TCP, p.srcIp(), p.srcPort(), p.dstIp(), p.dstPort(), now);
        if (e == Conntrack.NO_ENTRY) {
            return null;
        }
        CtEntry last = n.last(e);
        Tuple original = last != null && same(last.original(), v, e, CtDir.ORIGINAL)
                ? last.original()
                : tuple(v, e, CtDir.ORIGINAL);
        Tuple reply = last != null && same(last.reply(), v, e, CtDir.REPLY) ? last.reply() : tuple(v, e, CtDir.REPLY);
        CtWindow originalWindow = last != null && same(last.originalWindow(), v, e, CtDir.ORIGINAL)
                ? last.originalWindow()
                : window(v, e, CtDir.ORIGINAL);
        CtWindow replyWindow = last != null && same(last.replyWindow(), v, e, CtDir.REPLY)
                ? last.replyWindow()
                : window(v, e, CtDir.REPLY);
        if (last != null
                && last.original() == original
                && last.reply() == reply
                && last.state() == v.tcpState(e)
                && last.originalWindow() == originalWindow
                && last.replyWindow() == replyWindow) {
            return last;
        }
        CtEntry made = new CtEntry(original, reply, v.tcpState(e), originalWindow, replyWindow);
        n.remember(e, made);
        return made;
    }

    private static boolean same(Tuple t, EntryView v, int e, CtDir dir) {
        return t.srcIp() == v.srcIp(e, dir)
                && t.srcPort() == v.srcPort(e, dir)
                && t.dstIp() == v.dstIp(e, dir)
                && t.dstPort() == v.dstPort(e, dir)
                && t.protocol() == v.protocol(e);
    }

    private static boolean same(CtWindow w, EntryView v, int e, CtDir dir) {
        return w.tdEnd() == v.tdEnd(e, dir)
                && w.tdMaxEnd() == v.tdMaxEnd(e, dir)
                && w.tdMaxWin() == v.tdMaxWin(e, dir)
                && w.tdScale() == v.tdScale(e, dir);
    }

    private static Tuple tuple(EntryView v, int e, CtDir dir) {
        return new Tuple(v.protocol(e), v.srcIp(e, dir), v.srcPort(e, dir), v.dstIp(e, dir), v.dstPort(e, dir));
    }

    private static CtWindow window(EntryView v, int e, CtDir dir) {
        return new CtWindow(v.tdEnd(e, dir), v.tdMaxEnd(e, dir), v.tdMaxWin(e, dir), v.tdScale(e, dir));
    }
}
