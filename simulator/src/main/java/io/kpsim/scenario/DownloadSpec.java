package io.kpsim.scenario;

import java.util.Objects;

/**
 * {@code kind: download}: a client that fetches a file from a service {@code count} times with up to
 * {@code parallel} connections at once (the {@code while true; do curl ...; done} loop of
 * tcarmet/k8s-connection-reset, with a bound).
 *
 * @param pod the client pod
 * @param service the service port it connects to (its endpoints run a {@link FileServerSpec})
 * @param fileSizeBytes bytes per download (default: the file server's {@code fileSize})
 * @param count number of downloads, 1..1000000
 * @param parallel downloads in flight at once, 1..count
 * @param readRateBitsPerSecond how fast the client reads, in bits per second: the download's own
 *     {@code readRate}, else its pod's {@code tcp.readRate}, else {@link TcpTuning#UNLIMITED}
 * @param startAtNanos when the first download starts
 */
public record DownloadSpec(
        String pod,
        ServiceRef service,
        long fileSizeBytes,
        int count,
        int parallel,
        long readRateBitsPerSecond,
        long startAtNanos)
        implements WorkloadSpec {

    /** The YAML kind word. */
    public static final String KIND = "download";

    /** Null checks only. */
    public DownloadSpec {
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(service, "service");
    }

    @Override
    public String kind() {
        return KIND;
    }
}
