package io.kpsim.cluster;

/**
 * Download clients in the role of tcarmet's {@code while true; do curl -o file.txt $URL; done}:
 * {@code parallel} loops in one pod, each connecting to {@code serverIp:serverPort} (normally a
 * ClusterIP), sending a request, reading {@code fileBytes} and closing, then starting over, until
 * the pod has started {@code downloads} downloads (0: until the run ends). A download that ends
 * by a reset or a timeout counts as failed and the loop goes on, as curl's loop does.
 *
 * @param pod the client pod
 * @param serverIp where to connect (a ClusterIP or a pod IP)
 * @param serverPort the port
 * @param fileBytes the size of the file the server sends (must match the server's)
 * @param downloads downloads to start in total over all loops, 0 for unlimited
 * @param parallel concurrent loops (connections), at least 1
 * @param startNanos when the loops start
 */
public record DownloadClientSpec(String pod, int serverIp, int serverPort, long fileBytes, int downloads,
                                 int parallel, long startNanos) implements WorkloadSpec {

    /** The request's size in bytes: an HTTP GET line and a few headers. */
    public static final int REQUEST_BYTES = 100;

    /** Validates. */
    public DownloadClientSpec {
        Names.check(pod, "download client pod");
        Ports.check(serverPort, "download client on " + pod);
        if (fileBytes <= 0 || downloads < 0 || parallel < 1 || startNanos < 0) {
            throw new IllegalArgumentException("download client on " + pod + ": needs a positive file size,"
                    + " downloads >= 0, parallel >= 1 and a start time >= 0 (got " + fileBytes + ", "
                    + downloads + ", " + parallel + ", " + startNanos + ")");
        }
    }
}
