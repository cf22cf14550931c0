package io.kpsim.report;

import io.kpsim.conntrack.profile.KernelProfile;

/**
 * What a report needs to know about the run besides its trace: which scenario, seed and kernel,
 * and which of the two fixes of kubernetes issue 74839 were in place.
 *
 * @param scenario the scenario's name
 * @param description one line saying what it is
 * @param source the file it came from
 * @param seed the seed every random choice came from
 * @param kernel whose conntrack ran
 * @param beLiberal whether {@code net.netfilter.nf_conntrack_tcp_be_liberal} was 1
 * @param dropInvalid whether KUBE-FORWARD (or, in nftables mode, a {@code ct state invalid drop})
 *     dropped INVALID packets (kubernetes PR 74840)
 * @param durationNanos the simulated time the scenario asked for
 * @param kubeProxy {@code iptables}, or {@code nftables 1.29} … {@code nftables 1.34}
 */
public record RunContext(
        String scenario,
        String description,
        String source,
        long seed,
        KernelProfile kernel,
        boolean beLiberal,
        boolean dropInvalid,
        long durationNanos,
        String kubeProxy) {

    /** A run with kube-proxy in iptables mode. */
    public RunContext(
            String scenario,
            String description,
            String source,
            long seed,
            KernelProfile kernel,
            boolean beLiberal,
            boolean dropInvalid,
            long durationNanos) {
        this(scenario, description, source, seed, kernel, beLiberal, dropInvalid, durationNanos, "iptables");
    }
}
