package io.kpsim.scenario;

import io.kpsim.cluster.ClusterBuilder;
import io.kpsim.cluster.ClusterSpecException;
import java.util.ArrayList;
import java.util.List;

/**
 * The workload half of {@link ScenarioBuilder}: file servers, downloads, the boom server and the
 * connect loop, with clients aimed at their service's ClusterIP (so every connection goes
 * through kube-proxy's DNAT) and reading at their {@code readRate}, and the scripted injections
 * aimed at the connection they name, at their {@code offset}.
 */
final class ScenarioWorkloadBuilder {

    private ScenarioWorkloadBuilder() {}

    static void add(ClusterBuilder b, ScenarioSpec spec) {
        for (WorkloadSpec w : spec.workloads()) {
            if (w instanceof FileServerSpec f) {
                b.workload(new io.kpsim.cluster.FileServerSpec(f.pod(), f.port(), f.fileSizeBytes(), true));
            } else if (w instanceof DownloadSpec d) {
                ServiceSpec s = service(spec, d.service());
                b.workload(new io.kpsim.cluster.DownloadClientSpec(
                        d.pod(),
                        s.clusterIp(),
                        d.service().port(),
                        d.fileSizeBytes(),
                        d.count(),
                        d.parallel(),
                        d.startAtNanos(),
                        readBytesPerSecond(d.readRateBitsPerSecond())));
            } else if (w instanceof BoomServerSpec boom) {
                b.workload(new io.kpsim.cluster.BoomServerSpec(
                        boom.pod(), boom.port(), boom.closeAfterNanos(), boom.seqOffset()));
            } else if (w instanceof ConnectLoopSpec c) {
                ServiceSpec s = service(spec, c.service());
                b.workload(new io.kpsim.cluster.ConnectLoopSpec(
                        c.pod(), s.clusterIp(), c.service().port(), c.intervalNanos(), c.startAtNanos(), c.count()));
            } else {
                throw new IllegalStateException("unhandled workload kind " + w.kind());
            }
        }
        for (InjectionSpec i : spec.injections()) {
            List<String> clients = clientsOf(spec, i.pod());
            if (clients.isEmpty()) {
                throw new ClusterSpecException("injection at " + Durations.format(i.atNanos()) + " from pod " + i.pod()
                        + ": no client workload connects to a service " + i.pod() + " serves");
            }
            b.inject(new io.kpsim.cluster.InjectionSpec(
                    i.atNanos(), i.pod(), clients.get(0), i.connection(), kind(i.kind()), i.offsetBytes()));
        }
    }

    /**
     * A read rate in bits per second as the socket's bytes per second; {@link TcpTuning#UNLIMITED}
     * is a reader that keeps up with anything. Rates under one byte per second read one byte a second.
     */
    static long readBytesPerSecond(long bitsPerSecond) {
        return bitsPerSecond == TcpTuning.UNLIMITED
                ? io.kpsim.cluster.DownloadClientSpec.READ_INSTANTLY
                : Math.max(1, bitsPerSecond / 8);
    }

    private static io.kpsim.cluster.InjectionKind kind(InjectionKind k) {
        switch (k) {
            case ABOVE_UPPER_BOUND:
                return io.kpsim.cluster.InjectionKind.ABOVE_UPPER_BOUND;
            case BELOW_LOWER_BOUND:
                return io.kpsim.cluster.InjectionKind.BELOW_LOWER_BOUND;
            case BAD_ACK:
                return io.kpsim.cluster.InjectionKind.BAD_ACK;
            default:
                throw new IllegalStateException("unhandled injection kind " + k);
        }
    }

    private static ServiceSpec service(ScenarioSpec spec, ServiceRef ref) {
        return spec.service(ref.namespace(), ref.name())
                .orElseThrow(() -> new ClusterSpecException("service " + ref + " does not exist"));
    }

    /** The pods whose client workloads connect to a service with {@code serverPod} as an endpoint. */
    static List<String> clientsOf(ScenarioSpec spec, String serverPod) {
        List<String> clients = new ArrayList<>();
        for (WorkloadSpec w : spec.workloads()) {
            ServiceRef ref =
                    w instanceof DownloadSpec d ? d.service() : w instanceof ConnectLoopSpec c ? c.service() : null;
            if (ref != null
                    && !clients.contains(w.pod())
                    && service(spec, ref).endpoints().contains(serverPod)) {
                clients.add(w.pod());
            }
        }
        return clients;
    }
}
