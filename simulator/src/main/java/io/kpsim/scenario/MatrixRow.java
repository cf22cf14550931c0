package io.kpsim.scenario;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.report.RunMetrics;

/**
 * One combination of a {@link Matrix} and what its run counted.
 *
 * @param scenario the scenario's {@code metadata.name}
 * @param kernel the kernel profile
 * @param proxyMode {@code iptables} or {@code nftables}
 * @param release the kube-proxy release
 * @param beLiberal {@code nf_conntrack_tcp_be_liberal} on the nodes
 * @param metrics the run's counters (the same meanings as {@code kpsim run --format json})
 * @param verdict exposed, or protected and by what
 */
public record MatrixRow(
        String scenario,
        KernelProfile kernel,
        String proxyMode,
        KubeProxyRelease release,
        boolean beLiberal,
        RunMetrics metrics,
        MatrixVerdict verdict) {}
