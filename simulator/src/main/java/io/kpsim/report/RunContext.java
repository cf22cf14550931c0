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
 * @param dropInvalid whether KUBE-FORWARD dropped INVALID packets (kubernetes PR 74840)
 * @param durationNanos the simulated time the scenario asked for
 */
public record RunContext(
        String scenario,
        String description,
        String source,
        long seed,
        KernelProfile kernel,
        boolean beLiberal,
        boolean dropInvalid,
        long durationNanos) {}
