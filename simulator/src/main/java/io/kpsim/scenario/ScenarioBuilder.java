package io.kpsim.scenario;

import io.kpsim.cluster.Cluster;
import io.kpsim.cluster.ClusterBuilder;
import io.kpsim.cluster.ClusterSpecException;
import io.kpsim.cluster.InjectionSpec;
import io.kpsim.cluster.LinkImpairments;
import io.kpsim.cluster.NodeSpec;
import io.kpsim.cluster.PodSpec;
import io.kpsim.cluster.RunEstimate;
import io.kpsim.cluster.ServiceSpec;
import io.kpsim.cluster.WorkloadSpec;
import io.kpsim.netfilter.KubeProxyIptablesRelease;

/**
 * Turns a validated {@link ScenarioSpec} into a runnable {@link Cluster}. The nodes, pods,
 * services, workloads and injections are the cluster's own spec records already (the loader bound
 * and resolved them), so they go in unchanged; what is translated here is the scenario's
 * kube-proxy cluster CIDR and its links.
 *
 * <p>Link semantics are translated, not approximated: a scenario's {@code delay ± jitter} becomes
 * a base delay of {@code delay - jitter} plus a uniform extra of up to {@code 2 * jitter}; a rate in
 * bits per second becomes bytes per second; {@code reorder} becomes the link's hold-back. Each
 * direction gets the same impairments. Node pairs a scenario does not mention are perfect links
 * (no delay, no limit, no loss); a pod's veth it does not mention is a plain veth.
 */
public final class ScenarioBuilder {

    private ScenarioBuilder() {}

    /**
     * Builds the cluster of {@code spec}, each node's conntrack table with room for the entries the
     * run is expected to hold at once ({@link RunEstimate#conntrackReservations}), so that the table
     * neither copies its arrays on the way to its peak nor holds an empty half at it.
     *
     * @throws ClusterSpecException when the model refuses something the loader let through, with
     *                              the model's one-line reason (any other exception is a kpsim bug)
     */
    public static Cluster build(ScenarioSpec spec) {
        ClusterBuilder builder = builder(spec);
        Cluster cluster = builder.build();
        RunEstimate estimate = builder.estimate(spec.durationNanos(), false);
        estimate.conntrackReservations()
                .forEach((node, entries) -> cluster.node(node).conntrack().reserve(entries));
        return cluster;
    }

    /** The cluster of {@code spec}, not yet built. */
    static ClusterBuilder builder(ScenarioSpec spec) {
        ClusterBuilder b = new ClusterBuilder(spec.seed());
        b.defaultNodeLink(LinkImpairments.delay(0));
        if (spec.kubeProxy().clusterCidr().isPresent()) {
            b.clusterCidr(spec.kubeProxy().clusterCidr().get().toString());
        }
        if (spec.kubeProxy().nftables().isPresent()) {
            b.nftables(spec.kubeProxy().nftables().get());
        }
        KubeProxyRelease release = spec.kubeProxy().release();
        if (release != null) {
            b.iptablesRelease(new KubeProxyIptablesRelease(release.minor()));
        }
        for (NodeSpec n : spec.nodes()) {
            b.node(n);
        }
        for (PodSpec p : spec.pods()) {
            b.pod(p);
        }
        for (ServiceSpec s : spec.services()) {
            b.service(s);
        }
        for (LinkSpec l : spec.links()) {
            if (!l.name().isEmpty()) {
                b.secondLink(l.a(), l.b(), l.name(), impairments(l));
            } else if (!l.equals(LinkSpec.perfect(l.a(), l.b(), l.scope())) || l.scope() == LinkScope.NODE_TO_NODE) {
                b.linkPair(l.a(), l.b(), impairments(l));
            }
        }
        for (WorkloadSpec w : spec.workloads()) {
            b.workload(w);
        }
        for (InjectionSpec i : spec.injections()) {
            b.inject(i);
        }
        return b;
    }

    /** The impairments of one direction of {@code l}. */
    static LinkImpairments impairments(LinkSpec l) {
        long base = l.delayNanos() - l.jitterNanos();
        LinkImpairments imp = LinkImpairments.delay(base).withJitter(2 * l.jitterNanos());
        if (l.bandwidthBitsPerSecond() != LinkSpec.UNLIMITED) {
            imp = imp.withBandwidth(Math.max(1, l.bandwidthBitsPerSecond() / 8), l.queueBytes());
        }
        imp = imp.withLoss(l.loss()).withDuplicate(l.duplicate());
        if (l.reorder().enabled()) {
            imp = imp.withHoldBack(l.reorder().probability(), l.reorder().holdForNanos());
        }
        return imp;
    }
}
