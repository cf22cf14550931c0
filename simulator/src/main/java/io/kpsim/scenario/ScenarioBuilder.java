package io.kpsim.scenario;

import io.kpsim.cluster.Cluster;
import io.kpsim.cluster.ClusterBuilder;
import io.kpsim.cluster.ClusterSpecException;
import io.kpsim.cluster.LinkImpairments;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.tcp.TcpConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a validated {@link ScenarioSpec} into a runnable {@link Cluster}: every node with the
 * scenario's kernel, conntrack sysctls and kube-proxy rules (with or without PR 74840's INVALID
 * drop), every pod with its veth, each port of each service as kube-proxy's KUBE-SVC/KUBE-SEP
 * chains, the node-to-node links with their netem-style impairments, the workloads and the
 * scripted injections. Each pod gets its own TCP configuration from its {@code tcp} settings.
 *
 * <p>Link semantics are translated, not approximated: a scenario's {@code delay ± jitter} becomes
 * a base delay of {@code delay - jitter} plus a uniform extra of up to {@code 2 * jitter}; a rate in
 * bits per second becomes bytes per second; {@code reorder} becomes the link's hold-back. Pairs a
 * scenario does not mention are perfect links (no delay, no limit, no loss).
 */
public final class ScenarioBuilder {

    private ScenarioBuilder() {}

    /**
     * Builds the cluster of {@code spec}.
     *
     * @throws ClusterSpecException when the model refuses something the loader let through, with
     *                              the model's one-line reason (any other exception is a kpsim bug)
     */
    public static Cluster build(ScenarioSpec spec) {
        ClusterBuilder b = new ClusterBuilder(spec.seed());
        b.defaultNodeLink(LinkImpairments.delay(0));
        spec.kubeProxy().clusterCidr().ifPresent(c -> b.clusterCidr(c.toString()));
        Map<String, String> sysctls = sysctlText(spec.conntrackSysctls());
        for (NodeSpec n : spec.nodes()) {
            b.node(new io.kpsim.cluster.NodeSpec(
                    n.name(),
                    n.ip(),
                    n.podCidr(),
                    spec.kernel(),
                    sysctls,
                    spec.kubeProxy().dropInvalid()));
        }
        for (PodSpec p : spec.pods()) {
            LinkSpec veth = spec.link(p.name(), p.node(), LinkScope.POD_TO_NODE);
            LinkImpairments imp = veth.equals(LinkSpec.perfect(p.name(), p.node(), LinkScope.POD_TO_NODE))
                    ? LinkImpairments.veth()
                    : impairments(veth);
            b.pod(new io.kpsim.cluster.PodSpec(p.name(), p.node(), p.ip(), imp));
            TcpConfig tcp;
            try {
                tcp = tcpConfig(p.tcp());
            } catch (IllegalArgumentException e) { // TcpConfig refuses the pod's own tcp settings
                throw new ClusterSpecException("spec.pods[" + spec.pods().indexOf(p) + "].tcp: " + e.getMessage(), e);
            }
            b.tcpConfig(p.name(), tcp);
        }
        for (ServiceSpec s : spec.services()) {
            for (ServicePortSpec port : s.ports()) {
                b.service(new io.kpsim.cluster.ServiceSpec(
                        s.namespace(),
                        s.name(),
                        port.name(),
                        port.protocol(),
                        s.clusterIp(),
                        port.port(),
                        port.targetPort(),
                        s.endpoints()));
            }
        }
        for (LinkSpec l : spec.links()) {
            if (l.scope() == LinkScope.NODE_TO_NODE) {
                b.link(l.a(), l.b(), impairments(l));
                b.link(l.b(), l.a(), impairments(l));
            }
        }
        ScenarioWorkloadBuilder.add(b, spec);
        return b.build();
    }

    /**
     * The TCP configuration of one pod: Linux's defaults ({@link TcpConfig#linux()}) with the
     * pod's {@code tcp} settings. A fixed {@code receiveBuffer} is {@code SO_RCVBUF} (no
     * autotuning; the advertised window is half of it, Linux's overhead share) and
     * {@code windowScaling: false} sends no window-scale option, so the window stays below 64 KiB.
     */
    static TcpConfig tcpConfig(TcpTuning t) {
        TcpConfig c = TcpConfig.linux().withMss(t.mss()).withSack(t.sack());
        if (!t.windowScaling()) {
            c = c.withWindowScale(-1);
        }
        if (t.receiveBufferBytes() != TcpTuning.KERNEL_DEFAULT) {
            c = c.withFixedReceiveBuffer((int) Math.min(Integer.MAX_VALUE, t.receiveBufferBytes()));
        }
        if (t.sendBufferBytes() != TcpTuning.KERNEL_DEFAULT) {
            c = c.withSendBuffer((int) Math.min(Integer.MAX_VALUE, t.sendBufferBytes()));
        }
        return c;
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

    /** The conntrack settings as full sysctl names and values, in {@link Sysctls#asMap()} order. */
    static Map<String, String> sysctlText(Sysctls sysctls) {
        Map<String, String> text = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : sysctls.asMap().entrySet()) {
            text.put(e.getKey(), Long.toString(e.getValue()));
        }
        return text;
    }
}
