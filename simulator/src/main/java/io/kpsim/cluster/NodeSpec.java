package io.kpsim.cluster;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Cidr;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Kubernetes node as the model builds it: a network namespace with its own conntrack table and
 * {@code net.netfilter.*} sysctls, the kube-proxy rules of every service, and a pod CIDR that
 * other nodes route to it (as a CNI's per-node routes do).
 *
 * @param name node name, unique
 * @param ip the node's own address
 * @param podCidr the pods' range on this node
 * @param kernel whose conntrack to run
 * @param sysctls {@code net.netfilter.*} overrides by their real names (sorted copy)
 * @param dropInvalid whether kube-proxy's KUBE-FORWARD starts with
 *                    {@code -m conntrack --ctstate INVALID -j DROP} (k8s PR 74840)
 */
public record NodeSpec(
        String name, int ip, Cidr podCidr, KernelProfile kernel, Map<String, String> sysctls, boolean dropInvalid) {

    /** Validates and copies. */
    public NodeSpec {
        Names.check(name, "node");
        if (podCidr == null) {
            throw new IllegalArgumentException("node " + name + " has no pod CIDR");
        }
        if (kernel == null) {
            throw new IllegalArgumentException("node " + name + " has no kernel version");
        }
        sysctls = Map.copyOf(new TreeMap<>(sysctls == null ? Map.of() : sysctls));
    }
}
