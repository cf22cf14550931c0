package io.kpsim.cluster;

import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import java.util.List;

/**
 * A Kubernetes node: one network namespace with its own conntrack table and
 * {@code net.netfilter.*} sysctls, the kube-proxy rules of every service, and a pod CIDR
 * ({@code spec.podCIDR}) that other nodes route to it, as a CNI's per-node routes do. A scenario
 * gives every node the same kernel, sysctls and kube-proxy settings; the model allows them to
 * differ per node (a cluster half way through a rollout).
 *
 * @param name node name, unique among nodes and pods
 * @param ip the node's own address ({@link Ip4} packed), outside every pod CIDR
 * @param podCidr the pods' range on this node; pairwise disjoint across nodes
 * @param sysctls the node's conntrack settings, for the kernel they belong to ({@link #kernel()})
 * @param dropInvalid whether kube-proxy's KUBE-FORWARD starts with
 *                    {@code -m conntrack --ctstate INVALID -j DROP} (k8s PR 74840)
 * @param routes routes added to (or replacing) the CNI's, in order ({@link NodeRoute})
 */
public record NodeSpec(
        String name, int ip, Cidr podCidr, Sysctls sysctls, boolean dropInvalid, List<NodeRoute> routes) {

    /** Validates. */
    public NodeSpec {
        Names.check(name, "node");
        if (podCidr == null) {
            throw new IllegalArgumentException("node " + name + " has no pod CIDR");
        }
        if (sysctls == null) {
            throw new IllegalArgumentException("node " + name + " has no conntrack sysctls");
        }
        routes = List.copyOf(routes);
    }

    /** A node with only the CNI's routes. */
    public NodeSpec(String name, int ip, Cidr podCidr, Sysctls sysctls, boolean dropInvalid) {
        this(name, ip, podCidr, sysctls, dropInvalid, List.of());
    }

    /** This node with {@code more} routes. */
    public NodeSpec withRoutes(List<NodeRoute> more) {
        return new NodeSpec(name, ip, podCidr, sysctls, dropInvalid, more);
    }

    /** Whose conntrack the node runs. */
    public KernelProfile kernel() {
        return sysctls.kernel().profile();
    }

    /** The address as a dotted quad. */
    public String ipText() {
        return Ip4.format(ip);
    }
}
