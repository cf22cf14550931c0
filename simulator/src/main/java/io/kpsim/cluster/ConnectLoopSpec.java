package io.kpsim.cluster;

import io.kpsim.engine.Durations;
import io.kpsim.packet.Ports;

/**
 * A client that opens a new connection every {@code intervalNanos}, as the e2e test's
 * {@code while true; do sleep 2; nc boom-server 9000& done}: each connection sends nothing, stays
 * open while the server keeps it, and closes when the server closes its side. A scenario's
 * {@code kind: connectLoop} names a service port; the loader resolves it to the ClusterIP and port.
 *
 * @param pod the client pod
 * @param serverIp where to connect (a ClusterIP or a pod IP)
 * @param serverPort the port
 * @param intervalNanos time between connection attempts
 * @param startNanos when the first attempt is made
 * @param count attempts in total, 0 for unlimited
 */
public record ConnectLoopSpec(String pod, int serverIp, int serverPort, long intervalNanos, long startNanos, int count)
        implements WorkloadSpec {

    /** Validates. */
    public ConnectLoopSpec {
        Names.check(pod, "connect loop pod");
        Ports.check(serverPort, "connect loop on " + pod);
        if (intervalNanos <= 0 || startNanos < 0 || count < 0) {
            throw new IllegalArgumentException("connect loop on " + pod + ": interval "
                    + Durations.format(intervalNanos) + " must be positive, start and count not negative");
        }
    }

    @Override
    public WorkloadKind kind() {
        return WorkloadKind.CONNECT_LOOP;
    }
}
