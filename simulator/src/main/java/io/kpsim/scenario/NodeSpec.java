package io.kpsim.scenario;

import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import java.util.Objects;

/**
 * One entry of {@code spec.nodes}: a Kubernetes node, i.e. one network namespace with its own
 * conntrack table and kube-proxy rules, routing for the pods in its {@code podCIDR}.
 *
 * @param name DNS-1123 label, unique among nodes and pods
 * @param ip the node's address ({@link Ip4} packed), unique, outside every pod CIDR
 * @param podCidr the node's {@code spec.podCIDR}; pairwise disjoint across nodes
 */
public record NodeSpec(String name, int ip, Cidr podCidr) {

    /** Null checks only. */
    public NodeSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(podCidr, "podCidr");
    }

    /** The address as a dotted quad. */
    public String ipText() {
        return Ip4.format(ip);
    }
}
