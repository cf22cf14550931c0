package io.kpsim.cluster;

/**
 * An application running in a pod: a server listening on a port ({@link FileServerSpec},
 * {@link BoomServerSpec}), or a client that opens connections to an address, normally a service's
 * ClusterIP so its traffic crosses kube-proxy's DNAT and conntrack ({@link DownloadClientSpec},
 * {@link ConnectLoopSpec}). Each kind mirrors a program from the failure's history (nginx serving
 * a file, curl in a loop, the boom server, {@code nc} in a loop). The one set of workload types:
 * scenarios bind YAML to these records and the cluster runs them.
 */
public sealed interface WorkloadSpec permits FileServerSpec, DownloadClientSpec, BoomServerSpec, ConnectLoopSpec {

    /** Which program this is; switch on it exhaustively (no {@code default}). */
    WorkloadKind kind();

    /** The pod the program runs in. */
    String pod();
}
