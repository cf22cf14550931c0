package io.kpsim.report.html;

import io.kpsim.cluster.Node;
import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.EntryView;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import java.util.ArrayList;
import java.util.List;

/**
 * The conntrack entries behind a node's verdicts: for each TCP packet arriving at a node, the entry
 * its tuple finds in either direction just before {@code nf_conntrack_in()} (told by
 * {@link io.kpsim.cluster.NodeArrivalListener}), and the same entry once the node is done with the
 * packet (at its {@code NODE_ROUTE} or {@code NODE_DROP} event, which follows at once). Both are
 * read through {@link EntryView}, which neither reaps nor counts, so recording the entries does not
 * change the run.
 *
 * <p>The entries are read into numbers ({@link PackedChanges}), not objects: a live run keeps them
 * in the recorder's ring that way, and only a replay, which hands each change on at once, asks for
 * objects.
 */
final class EntryWitness {

    /** One node's view of its conntrack table. */
    private record NodeEntries(String name, Conntrack table, EntryView view) {}

    /** The nodes seen so far (a handful: found by a scan, most often the first try). */
    private final List<NodeEntries> nodes = new ArrayList<>();

    private long pendingId = -1;
    private String pendingNode;
    private NodeEntries pendingEntries;
    private Packet pendingPacket;
    /** The entry the pending packet found, packed, when {@link #pendingFound}. */
    private final long[] pendingBefore = new long[PackedChanges.ENTRY];

    private boolean pendingFound;
    /** One slot for the changes a replay asks for as objects. */
    private final PackedChanges scratch = new PackedChanges(1);

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
        int e = find(n, packet, nowNanos);
        pendingFound = e != Conntrack.NO_ENTRY;
        if (pendingFound) {
            PackedChanges.pack(n.view, e, pendingBefore, 0);
        }
    }

    private NodeEntries node(String nodeName, Conntrack conntrack) {
        for (int i = 0; i < nodes.size(); i++) {
            NodeEntries n = nodes.get(i);
            if (n.name.equals(nodeName)) {
                if (n.table != conntrack) {
                    // a replay starts each file from a fresh table
                    n = new NodeEntries(nodeName, conntrack, new EntryView(conntrack));
                    nodes.set(i, n);
                }
                return n;
            }
        }
        NodeEntries n = new NodeEntries(nodeName, conntrack, new EntryView(conntrack));
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
        return at(nodeEvent, nowNanos, scratch, 0) ? scratch.get(0) : null;
    }

    /**
     * As {@link #at(TraceEvent)}, into slot {@code slot} of {@code into}; whether there was a change
     * (when not, the slot is left as it was).
     */
    boolean at(TraceEvent nodeEvent, PackedChanges into, int slot) {
        return at(nodeEvent, nodeEvent.timeNanos(), into, slot);
    }

    private boolean at(TraceEvent nodeEvent, long nowNanos, PackedChanges into, int slot) {
        if (nodeEvent.point() != TracePoint.NODE_ROUTE && nodeEvent.point() != TracePoint.NODE_DROP
                || nodeEvent.packetId() != pendingId
                || !nodeEvent.where().equals(pendingNode)) {
            return false;
        }
        pendingId = -1;
        int after = find(pendingEntries, pendingPacket, nowNanos);
        into.put(slot, pendingFound, pendingBefore, 0, pendingEntries.view, after);
        return true;
    }

    private static int find(NodeEntries n, Packet p, long now) {
        return n.view.find(Protocol.TCP, p.srcIp(), p.srcPort(), p.dstIp(), p.dstPort(), now);
    }
}
