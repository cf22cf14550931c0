package io.kpsim.cluster;

import io.kpsim.packet.Ports;
import io.kpsim.tcp.TcpSocket;

/**
 * Download clients in the role of tcarmet's {@code while true; do curl -o file.txt $URL; done}:
 * {@code parallel} loops in one pod, each connecting to {@code serverIp:serverPort} (normally a
 * ClusterIP), sending a request, reading {@code fileBytes} and closing, then starting over, until
 * the pod has started {@code downloads} downloads (0: until the run ends). A download that ends
 * by a reset or a timeout counts as failed and the loop goes on, as curl's loop does. A scenario's
 * {@code kind: download} names a service port; the loader resolves it to the ClusterIP and port.
 *
 * @param pod the client pod
 * @param serverIp where to connect (a ClusterIP or a pod IP)
 * @param serverPort the port
 * @param fileBytes the size of the file the server sends (must match the server's)
 * @param downloads downloads to start in total over all loops, 0 for unlimited
 * @param parallel concurrent loops (connections), at least 1
 * @param startNanos when the loops start
 * @param readBytesPerSecond how fast the application reads each connection, in bytes per second
 *                           ({@link TcpSocket#setReadRate}); {@link #READ_INSTANTLY} for a reader
 *                           that keeps up with anything. A slow reader leaves data in its receive
 *                           buffer, so it advertises a small window, down to zero
 */
public record DownloadClientSpec(
        String pod,
        int serverIp,
        int serverPort,
        long fileBytes,
        int downloads,
        int parallel,
        long startNanos,
        long readBytesPerSecond)
        implements WorkloadSpec {

    /** {@link #readBytesPerSecond} of a reader that reads data as soon as it arrives (curl to a fast disk). */
    public static final long READ_INSTANTLY = TcpSocket.READ_INSTANTLY;

    /** The request's size in bytes: an HTTP GET line and a few headers. */
    public static final int REQUEST_BYTES = 100;

    /** Validates. */
    public DownloadClientSpec {
        Names.check(pod, "download client pod");
        Ports.check(serverPort, "download client on " + pod);
        if (readBytesPerSecond <= 0) {
            throw new IllegalArgumentException(
                    "download client on " + pod + ": read rate " + readBytesPerSecond + " B/s is not positive");
        }
        if (fileBytes <= 0 || downloads < 0 || parallel < 1 || startNanos < 0) {
            throw new IllegalArgumentException("download client on " + pod + ": needs a positive file size,"
                    + " downloads >= 0, parallel >= 1 and a start time >= 0 (got " + fileBytes + ", "
                    + downloads + ", " + parallel + ", " + startNanos + ")");
        }
    }

    @Override
    public WorkloadKind kind() {
        return WorkloadKind.DOWNLOAD;
    }

    /** A client whose application reads as fast as data arrives. */
    public DownloadClientSpec(
            String pod, int serverIp, int serverPort, long fileBytes, int downloads, int parallel, long startNanos) {
        this(pod, serverIp, serverPort, fileBytes, downloads, parallel, startNanos, READ_INSTANTLY);
    }
}
