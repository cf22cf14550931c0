package io.kpsim.scenario;

import java.util.Objects;

/**
 * {@code kind: boomServer}: the server of kubernetes {@code test/images/regression-issue-74839}.
 * After each handshake it sends one PSH|ACK segment ({@code "boom!!!"}, 7 bytes) with
 * {@code seq = expected - seqOffset}, then closes the connection after {@code closeAfterNanos}.
 * A RST received for the connection is the e2e test's {@code ERROR: RST received}.
 *
 * @param pod the pod it runs in
 * @param port the TCP port it listens on (9000 in the e2e test)
 * @param closeAfterNanos how long it keeps each accepted connection (10 s in the e2e test)
 * @param seqOffset how far below the expected sequence number the boom segment starts (100000)
 */
public record BoomServerSpec(String pod, int port, long closeAfterNanos, long seqOffset) implements WorkloadSpec {

    /** The YAML kind word. */
    public static final String KIND = "boomServer";

    /** {@code main.go}: {@code Seq: pkt.Ack - 100000}. */
    public static final long DEFAULT_SEQ_OFFSET = 100_000;

    /** {@code main.go} closes each accepted connection after 10 seconds. */
    public static final long DEFAULT_CLOSE_AFTER_NANOS = 10_000_000_000L;

    /** Null checks only. */
    public BoomServerSpec {
        Objects.requireNonNull(pod, "pod");
    }

    @Override
    public String kind() {
        return KIND;
    }
}
