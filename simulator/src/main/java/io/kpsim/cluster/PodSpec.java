package io.kpsim.cluster;

import io.kpsim.packet.Ip4;
import io.kpsim.tcp.TcpConfig;

/**
 * A pod: one network namespace with one address and an endpoint TCP stack, attached to its node
 * through a veth pair (a perfect {@link LinkImpairments#veth()} unless
 * {@link ClusterBuilder#link} impairs it).
 *
 * @param name pod name, unique among pods and nodes
 * @param node the node it runs on
 * @param ip its address ({@link Ip4} packed), inside the node's pod CIDR
 * @param tcp its TCP settings: Linux's defaults ({@link TcpConfig#linux()}) or the pod's own
 *            (MSS, SACK, window scaling, buffers)
 * @param hostNetwork whether the pod runs in its node's network namespace
 *            ({@code spec.hostNetwork: true}): its address is the node's, it shares the node's
 *            TCP stack, and its packets go through the node's OUTPUT and INPUT hooks, never
 *            FORWARD
 */
public record PodSpec(String name, String node, int ip, TcpConfig tcp, boolean hostNetwork) {

    /** Validates. */
    public PodSpec {
        Names.check(name, "pod");
        Names.check(node, "node of pod " + name);
        if (tcp == null) {
            throw new IllegalArgumentException("pod " + name + " has no TCP config");
        }
    }

    /** A pod with its own network namespace. */
    public PodSpec(String name, String node, int ip, TcpConfig tcp) {
        this(name, node, ip, tcp, false);
    }

    /** A pod with Linux's TCP defaults. */
    public PodSpec(String name, String node, int ip) {
        this(name, node, ip, TcpConfig.linux());
    }

    /** The address as a dotted quad. */
    public String ipText() {
        return Ip4.format(ip);
    }
}
