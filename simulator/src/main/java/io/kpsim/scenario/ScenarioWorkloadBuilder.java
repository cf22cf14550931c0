package io.kpsim.scenario;

import io.kpsim.cluster.ClusterBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The workload half of {@link ScenarioBuilder}: file servers, downloads, the boom server and the
 * connect loop, with clients aimed at their service's ClusterIP (so every connection goes
 * through kube-proxy's DNAT), and the scripted injections aimed at the connection they name.
 */
final class ScenarioWorkloadBuilder {

    private ScenarioWorkloadBuilder() {
    }

    static void add(ClusterBuilder b, ScenarioSpec spec) {
        for (WorkloadSpec w : spec.workloads()) {
            if (w instanceof FileServerSpec f) {
                b.workload(new io.kpsim.cluster.FileServerSpec(f.pod(), f.port(), f.fileSizeBytes(), true));
            } else if (w instanceof DownloadSpec d) {
                ServiceSpec s = service(spec, d.service());
                b.workload(new io.kpsim.cluster.DownloadClientSpec(d.pod(), s.clusterIp(), d.service().port(),
                        d.fileSizeBytes(), d.count(), d.parallel(), d.startAtNanos()));
            } else if (w instanceof BoomServerSpec boom) {
                b.workload(new io.kpsim.cluster.BoomServerSpec(boom.pod(), boom.port(), boom.closeAfterNanos()));
            } else if (w instanceof ConnectLoopSpec c) {
                ServiceSpec s = service(spec, c.service());
                b.workload(new io.kpsim.cluster.ConnectLoopSpec(c.pod(), s.clusterIp(), c.service().port(),
                        c.intervalNanos(), c.startAtNanos(), c.count()));
            } else {
                throw new IllegalStateException("unhandled workload kind " + w.kind());
            }
        }
        for (InjectionSpec i : spec.injections()) {
            List<String> clients = clientsOf(spec, i.pod());
            if (clients.isEmpty()) {
                throw new IllegalArgumentException("injection at " + Durations.format(i.atNanos()) + " from pod "
                        + i.pod() + ": no client workload connects to a service " + i.pod() + " serves");
            }
            b.inject(new io.kpsim.cluster.InjectionSpec(i.atNanos(), i.pod(), clients.get(0), i.connection(),
                    kind(i.kind())));
        }
    }

    /** Collects settings the cluster model does not have, one line each, naming the key. */
    static void unsupported(ScenarioSpec spec, List<String> problems) {
        for (int i = 0; i < spec.workloads().size(); i++) {
            WorkloadSpec w = spec.workloads().get(i);
            if (w instanceof DownloadSpec d && d.readRateBitsPerSecond() != TcpTuning.UNLIMITED) {
                problems.add("spec.workloads[" + i + "].readRate: a limited application read rate is not modelled"
                        + " (expected no readRate)");
            } else if (w instanceof BoomServerSpec boom && boom.seqOffset() != BoomServerSpec.DEFAULT_SEQ_OFFSET) {
                problems.add("spec.workloads[" + i + "].seqOffset: the boom server always sends seq = ack - "
                        + BoomServerSpec.DEFAULT_SEQ_OFFSET + ", as the e2e image does (expected no seqOffset)");
            }
        }
        for (int i = 0; i < spec.injections().size(); i++) {
            InjectionSpec inj = spec.injections().get(i);
            if (inj.offsetBytes() != inj.kind().defaultOffset()) {
                problems.add("spec.injections[" + i + "].offset: the model places a " + inj.kind() + " segment"
                        + " itself, clear of conntrack's largest window (expected no offset)");
            }
        }
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
        return spec.service(ref.namespace(), ref.name()).orElseThrow(() -> new IllegalArgumentException(
                "service " + ref + " does not exist"));
    }

    /** The pods whose client workloads connect to a service with {@code serverPod} as an endpoint. */
    static List<String> clientsOf(ScenarioSpec spec, String serverPod) {
        List<String> clients = new ArrayList<>();
        for (WorkloadSpec w : spec.workloads()) {
            ServiceRef ref = w instanceof DownloadSpec d ? d.service()
                    : w instanceof ConnectLoopSpec c ? c.service() : null;
            if (ref != null && !clients.contains(w.pod())
                    && service(spec, ref).endpoints().contains(serverPod)) {
                clients.add(w.pod());
            }
        }
        return clients;
    }
}
