package io.kpsim.cluster;

import io.kpsim.engine.Durations;
import io.kpsim.packet.Ports;

/**
 * Kubernetes' {@code test/images/regression-issue-74839} "boom server": a TCP server that closes
 * every accepted connection after {@code closeAfterNanos} (10 s in the image) and, beside it, a
 * raw socket that, when a connection completes its handshake, writes one crafted segment
 * {@code PSH|ACK seq = (the client's ACK) - 100000, ack = (the client's SYN seq + 1)} with the
 * data {@code boom!!!}: a segment far below the window, which conntrack calls INVALID. A RST
 * received for the connection is the e2e test's {@code ERROR: RST received}.
 *
 * @param pod the server pod
 * @param port the listening port (9000 in the image)
 * @param closeAfterNanos how long each accepted connection lives before the server closes it
 *                        ({@link #DEFAULT_CLOSE_AFTER_NANOS} in the image)
 * @param seqOffset how far below the client's ACK the boom segment starts, 1..2^30 bytes of
 *                  sequence space ({@link #DEFAULT_SEQ_OFFSET} in the image)
 */
public record BoomServerSpec(String pod, int port, long closeAfterNanos, long seqOffset) implements WorkloadSpec {

    /** How far below the expected sequence number the boom segment is: {@code Seq: pkt.Ack - 100000}. */
    public static final long DEFAULT_SEQ_OFFSET = 100_000;
    /** {@code main.go} closes each accepted connection after 10 seconds. */
    public static final long DEFAULT_CLOSE_AFTER_NANOS = 10_000_000_000L;
    /** The largest offset: half the sequence space would make "below" ambiguous (RFC 1982). */
    public static final long MAX_SEQ_OFFSET = 1L << 30;
    /** The boom segment's data, {@code boom!!!}. */
    public static final int PAYLOAD_BYTES = 7;

    /** Validates. */
    public BoomServerSpec {
        Names.check(pod, "boom server pod");
        Ports.check(port, "boom server on " + pod);
        if (closeAfterNanos <= 0) {
            throw new IllegalArgumentException("boom server on " + pod + ": close delay "
                    + Durations.format(closeAfterNanos) + " is not positive");
        }
        if (seqOffset < 1 || seqOffset > MAX_SEQ_OFFSET) {
            throw new IllegalArgumentException(
                    "boom server on " + pod + ": seq offset " + seqOffset + " is not in 1.." + MAX_SEQ_OFFSET);
        }
    }

    /** The image's boom segment ({@code seq = ack - 100000}) with another port and close delay. */
    public BoomServerSpec(String pod, int port, long closeAfterNanos) {
        this(pod, port, closeAfterNanos, DEFAULT_SEQ_OFFSET);
    }

    /** The image's settings: port 9000, close after 10 s. */
    public static BoomServerSpec of(String pod) {
        return new BoomServerSpec(pod, 9000, DEFAULT_CLOSE_AFTER_NANOS);
    }

    @Override
    public WorkloadKind kind() {
        return WorkloadKind.BOOM_SERVER;
    }
}
