package io.kpsim.scenario;

/**
 * One entry of {@code spec.workloads}, chosen by its {@code kind}: the applications running in
 * pods. Servers ({@link FileServerSpec}, {@link BoomServerSpec}) listen on a pod port; clients
 * ({@link DownloadSpec}, {@link ConnectLoopSpec}) connect to a service through its ClusterIP, so
 * their traffic crosses kube-proxy's DNAT and conntrack.
 */
public sealed interface WorkloadSpec permits FileServerSpec, DownloadSpec, BoomServerSpec, ConnectLoopSpec {

    /** The {@code kind} word as written in YAML, e.g. {@code fileServer}. */
    String kind();

    /** The pod the application runs in. */
    String pod();
}
