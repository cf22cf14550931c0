package io.kpsim.report;

import io.kpsim.cluster.ClusterResults;

/**
 * The outcome counters a scenario's expectations and the report's summary line are made of
 * (the metrics of {@code spec.expect} in scenario-format.md).
 *
 * @param connections TCP connections whose handshake completed
 * @param completed client operations that finished: downloads received in full, and connect-loop
 *                  connections closed cleanly (both FINs)
 * @param resets connections aborted by an accepted RST
 * @param invalid packets conntrack marked INVALID, summed over nodes
 * @param invalidDropped INVALID packets dropped by KUBE-FORWARD's {@code --ctstate INVALID -j DROP}
 * @param ignored packets a 6.1+ conntrack ignored (window failures it no longer calls INVALID)
 * @param packets packets the pods sent (forged ones included)
 * @param injected forged packets (scripted injections, the boom server's segments)
 * @param injectionsMissed scripted injections that found no open connection to forge on
 * @param retransmissions segments the pods retransmitted
 * @param simulatedNanos simulated time covered
 */
public record RunMetrics(
        long connections,
        long completed,
        long resets,
        long invalid,
        long invalidDropped,
        long ignored,
        long packets,
        long injected,
        long injectionsMissed,
        long retransmissions,
        long simulatedNanos) {

    /** The metrics of a cluster run. */
    public static RunMetrics of(ClusterResults r) {
        long ignored = 0;
        for (long v : r.ignoredPerNode().values()) {
            ignored += v;
        }
        return new RunMetrics(
                r.connectionsEstablished(),
                r.downloadsCompleted() + r.loopsCompleted(),
                r.resets(),
                r.invalidTotal(),
                r.invalidDropped(),
                ignored,
                r.packetsSent(),
                r.packetsInjected(),
                r.injectionsMissed(),
                r.retransmissions(),
                r.simulatedNanos());
    }
}
