package io.kpsim.report.html;

import io.kpsim.cluster.Cluster;
import io.kpsim.cluster.Node;
import io.kpsim.cluster.TraceEvent;
import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.Tuple;
import io.kpsim.conntrack.WindowPeek;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link ConntrackWitness} for tests: it reads the entries straight from the nodes' conntrack
 * tables while the run goes on, as a trace that records entries will hand them over. "Before" is
 * the entry as the same node left it after the connection's previous packet (nothing else changes
 * {@code seen[]} between two packets of a connection).
 */
final class ClusterWitness implements ConntrackWitness {

    private final Cluster cluster;
    private final Map<String, CtEntry> last = new HashMap<>();

    ClusterWitness(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public CtChange at(TraceEvent e, Packet arrived) {
        Node node = cluster.nodes().get(e.where());
        if (node == null || arrived.protocol() != Protocol.TCP) {
            return null;
        }
        Conntrack ct = node.conntrack();
        Tuple t = new Tuple(Protocol.TCP, arrived.srcIp(), arrived.srcPort(), arrived.dstIp(), arrived.dstPort());
        int entry = ct.find(t, e.timeNanos());
        if (entry == Conntrack.NO_ENTRY) {
            return new CtChange(null, null);
        }
        Tuple original = ct.tuple(entry, CtDir.ORIGINAL);
        String key = e.where() + " " + original.conntrackText();
        CtEntry after = new CtEntry(
                original,
                ct.tuple(entry, CtDir.REPLY),
                ct.tcpState(entry),
                window(WindowPeek.seen(ct, entry, CtDir.ORIGINAL)),
                window(WindowPeek.seen(ct, entry, CtDir.REPLY)));
        CtEntry before = last.put(key, after);
        return new CtChange(before, after);
    }

    private static CtWindow window(long[] s) {
        return new CtWindow(s[0], s[1], s[2], (int) s[3]);
    }
}
