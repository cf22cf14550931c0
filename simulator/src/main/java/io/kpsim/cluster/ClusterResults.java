package io.kpsim.cluster;

import io.kpsim.engine.Durations;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run did, in the counters the failure is judged by: connections, downloads completed,
 * connections that ended by a reset, conntrack's INVALID verdicts per node and how many of those
 * packets a rule dropped, packets sent and retransmitted.
 *
 * @param simulatedNanos virtual time the run covered
 * @param events simulation events processed
 * @param connectionsOpened connection attempts by client workloads ({@code connect()} calls)
 * @param connectionsEstablished client connections whose handshake completed
 * @param downloadsCompleted downloads that received the whole file
 * @param downloadsFailed downloads that ended early (reset or timeout)
 * @param loopsCompleted connect-loop connections that were established and ended by an orderly
 *                       close (both FINs, as {@code nc} exits 0), not by a reset or a timeout
 * @param resets connections that ended by an accepted RST on either side, counted once each
 * @param clientResets client sockets that ended by an accepted RST ("Connection reset by peer" in curl)
 * @param serverResets server sockets that ended by an accepted RST ("104: Connection reset by peer" in nginx)
 * @param invalidPerNode packets conntrack marked INVALID at each node (sorted by node name)
 * @param ignoredPerNode packets conntrack let through with an IGNORE verdict (6.1+ lower-bound window
 *                       failures, {@code sIG} transitions) at each node: still NATed, not INVALID
 * @param invalidDropped INVALID packets a rule dropped (KUBE-FORWARD's {@code --ctstate INVALID -j DROP})
 * @param packetsSent packets the pods' stacks sent, injected ones included
 * @param packetsInjected forged packets (boom segments, scripted injections)
 * @param injectionsMissed scripted injections that found no open connection to forge on
 * @param retransmissions segments the pods' stacks retransmitted
 * @param unroutable packets a node dropped for want of a route (e.g. to a ClusterIP that was not DNATed)
 * @param links every link's counters (sorted by link name)
 */
public record ClusterResults(
        long simulatedNanos,
        long events,
        long connectionsOpened,
        long connectionsEstablished,
        long downloadsCompleted,
        long downloadsFailed,
        long loopsCompleted,
        long resets,
        long clientResets,
        long serverResets,
        Map<String, Long> invalidPerNode,
        Map<String, Long> ignoredPerNode,
        long invalidDropped,
        long packetsSent,
        long packetsInjected,
        long injectionsMissed,
        long retransmissions,
        long unroutable,
        Map<String, LinkStats> links) {

    /** Copies the maps in name order. */
    public ClusterResults {
        invalidPerNode = java.util.Collections.unmodifiableMap(new TreeMap<>(invalidPerNode));
        ignoredPerNode = java.util.Collections.unmodifiableMap(new TreeMap<>(ignoredPerNode));
        links = java.util.Collections.unmodifiableMap(new TreeMap<>(links));
    }

    /** INVALID packets over all nodes. */
    public long invalidTotal() {
        long sum = 0;
        for (long v : invalidPerNode.values()) {
            sum += v;
        }
        return sum;
    }

    /** A multi-line human summary. */
    public String summary() {
        StringBuilder s = new StringBuilder(512);
        s.append("simulated ")
                .append(Durations.format(simulatedNanos))
                .append(", ")
                .append(events)
                .append(" events\n");
        s.append("connections: ")
                .append(connectionsOpened)
                .append(" opened, ")
                .append(connectionsEstablished)
                .append(" established, ")
                .append(resets)
                .append(" reset (client ")
                .append(clientResets)
                .append(", server ")
                .append(serverResets)
                .append(")\n");
        s.append("downloads: ")
                .append(downloadsCompleted)
                .append(" completed, ")
                .append(downloadsFailed)
                .append(" failed; connect-loop connections closed cleanly: ")
                .append(loopsCompleted)
                .append('\n');
        s.append("packets: ")
                .append(packetsSent)
                .append(" sent (")
                .append(packetsInjected)
                .append(" injected, ")
                .append(injectionsMissed)
                .append(" injections missed), ")
                .append(retransmissions)
                .append(" retransmitted, ")
                .append(unroutable)
                .append(" unroutable\n");
        s.append("INVALID: ")
                .append(invalidPerNode)
                .append(", dropped by rule ")
                .append(invalidDropped)
                .append("; ignored: ")
                .append(ignoredPerNode)
                .append('\n');
        for (Map.Entry<String, LinkStats> e : links.entrySet()) {
            LinkStats l = e.getValue();
            if (l.queueDrops() + l.lost() + l.duplicated() + l.heldBack() > 0) {
                s.append("link ").append(e.getKey()).append(": ").append(l).append('\n');
            }
        }
        return s.toString();
    }
}
