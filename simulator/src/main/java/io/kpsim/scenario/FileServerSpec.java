package io.kpsim.scenario;

import java.util.Objects;

/**
 * {@code kind: fileServer}: an HTTP-like server (the nginx of tcarmet/k8s-connection-reset) that
 * answers each request with a file of {@code fileSizeBytes}, keeping the connection open for the
 * next request of the same client.
 *
 * @param pod the pod it runs in
 * @param port the TCP port it listens on, 1..65535
 * @param fileSizeBytes the default response size (a download may ask for another size)
 */
public record FileServerSpec(String pod, int port, long fileSizeBytes) implements WorkloadSpec {

    /** The YAML kind word. */
    public static final String KIND = "fileServer";

    /** Default response: the 4 MiB {@code small-file.txt} of tcarmet/k8s-connection-reset. */
    public static final long DEFAULT_FILE_SIZE = 4L << 20;

    /** Null checks only. */
    public FileServerSpec {
        Objects.requireNonNull(pod, "pod");
    }

    @Override
    public String kind() {
        return KIND;
    }
}
