package io.kpsim.cluster;

/**
 * A pod: one network namespace with one address and an endpoint TCP stack, attached to its node
 * through a veth pair.
 *
 * @param name pod name, unique
 * @param node the node it runs on
 * @param ip its address, inside the node's pod CIDR
 * @param veth impairments of each direction of its veth pair ({@link LinkImpairments#veth()} normally)
 */
public record PodSpec(String name, String node, int ip, LinkImpairments veth) {

    /** Validates. */
    public PodSpec {
        Names.check(name, "pod");
        Names.check(node, "node of pod " + name);
        if (veth == null) {
            throw new IllegalArgumentException("pod " + name + " has no veth impairments");
        }
    }
}
