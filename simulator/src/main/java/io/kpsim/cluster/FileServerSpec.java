package io.kpsim.cluster;

import io.kpsim.packet.Ports;

/**
 * A file server in the role of tcarmet's nginx: it accepts connections on {@code port}, reads a
 * request of {@link DownloadClientSpec#REQUEST_BYTES} bytes and answers with {@code fileBytes}
 * bytes of file. With {@code keepAlive} it then waits for the next request on the same connection
 * and closes only after the client closed its side (nginx's keep-alive, the connection of the
 * "closed keepalive connection (104: Connection reset by peer)" log line); without, it closes right
 * after queueing the file (FIN follows the last byte). Scenarios' {@code kind: fileServer} keep
 * connections alive.
 *
 * @param pod the server pod
 * @param port the listening port, 1..65535
 * @param fileBytes the size of the file every request gets
 * @param keepAlive whether connections stay open for further requests
 */
public record FileServerSpec(String pod, int port, long fileBytes, boolean keepAlive) implements WorkloadSpec {

    /** Default response: the 4 MiB {@code small-file.txt} of tcarmet/k8s-connection-reset. */
    public static final long DEFAULT_FILE_SIZE = 4L << 20;

    /** Validates. */
    public FileServerSpec {
        Names.check(pod, "file server pod");
        Ports.check(port, "file server on " + pod);
        if (fileBytes <= 0) {
            throw new IllegalArgumentException(
                    "file server on " + pod + ": file size " + fileBytes + " is not positive");
        }
    }

    @Override
    public WorkloadKind kind() {
        return WorkloadKind.FILE_SERVER;
    }
}
