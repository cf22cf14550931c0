package io.kpsim.scenario;

import java.util.Objects;

/**
 * {@code kind: connectLoop}: the e2e client {@code while true; do sleep 2; nc boom-server 9000& done}:
 * every {@code intervalNanos} it opens a new connection to the service (without closing the older
 * ones) and leaves it to the server to close.
 *
 * @param pod the client pod
 * @param service the service port it connects to
 * @param intervalNanos time between connection attempts (2 s in the e2e test)
 * @param count connections to open, 1..1000000 (the loop stops when the scenario ends anyway)
 * @param startAtNanos when the first connection is opened (after one interval, as {@code sleep 2}
 *     comes first, unless set)
 */
public record ConnectLoopSpec(String pod, ServiceRef service, long intervalNanos, int count, long startAtNanos)
        implements WorkloadSpec {

    /** The YAML kind word. */
    public static final String KIND = "connectLoop";

    /** Null checks only. */
    public ConnectLoopSpec {
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(service, "service");
    }

    @Override
    public String kind() {
        return KIND;
    }
}
