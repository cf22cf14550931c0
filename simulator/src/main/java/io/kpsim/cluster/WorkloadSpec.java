package io.kpsim.cluster;

/**
 * An application running in a pod: a server listening on a port, or a client that opens
 * connections. Each kind mirrors a program from the failure's history (nginx serving a file,
 * curl in a loop, the boom server, {@code nc} in a loop).
 */
public sealed interface WorkloadSpec permits FileServerSpec, DownloadClientSpec, BoomServerSpec, ConnectLoopSpec {

    /** The pod the program runs in. */
    String pod();
}
