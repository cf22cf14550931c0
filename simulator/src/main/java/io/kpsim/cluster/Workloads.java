package io.kpsim.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * The running workloads of a cluster, made from their specs: each workload kind's class on its
 * pod, sharing the cluster's connection ledger and clock, then the scripted injections. Split out
 * of {@link ClusterBuilder}, which wires nodes, links and pods; this only turns specs into the
 * programs that run on them, in the order given (the order their first events are scheduled in).
 */
final class Workloads {

    private Workloads() {}

    /** The workloads of {@code specs}, then those of {@code injections}, on {@code cluster}'s pods. */
    static List<Workload> of(Cluster cluster, List<WorkloadSpec> specs, List<InjectionSpec> injections) {
        List<Workload> list = new ArrayList<>();
        ConnectionLedger ledger = cluster.ledger();
        for (WorkloadSpec w : specs) {
            Pod pod = cluster.pod(w.pod());
            list.add(
                    switch (w.kind()) {
                        case FILE_SERVER -> new FileServer((FileServerSpec) w, pod, ledger);
                        case DOWNLOAD -> new DownloadClient((DownloadClientSpec) w, pod, ledger, cluster.simulation());
                        case BOOM_SERVER -> new BoomServer((BoomServerSpec) w, pod, ledger, cluster.simulation());
                        case CONNECT_LOOP -> new ConnectLoop((ConnectLoopSpec) w, pod, ledger, cluster.simulation());
                    });
        }
        for (InjectionSpec i : injections) {
            list.add(new Injector(i, cluster.pod(i.fromPod()), cluster.pod(i.clientPod()), cluster));
        }
        return list;
    }
}
