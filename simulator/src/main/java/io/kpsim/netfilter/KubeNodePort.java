package io.kpsim.netfilter;

/**
 * A service port's NodePort ({@code type: NodePort}, {@code externalTrafficPolicy: Cluster}): every
 * node accepts {@code <any local address>:nodePort} and sends it to the service's endpoints, as
 * {@link KubeNodePortRules} writes it.
 *
 * @param service the service port
 * @param nodePort the port every node opens, 1..65535
 */
public record KubeNodePort(KubeService service, int nodePort) {

    /** Validates. */
    public KubeNodePort {
        if (service == null) {
            throw new IllegalArgumentException("a NodePort needs its service");
        }
        if (nodePort < 1 || nodePort > 0xffff) {
            throw new IllegalArgumentException(
                    "service " + service.servicePortName() + ": nodePort " + nodePort + " is not in 1..65535");
        }
    }

    /** {@code KUBE-EXT-} + {@code portProtoHash}: the chain that masquerades and hands over to KUBE-SVC. */
    public String externalChain() {
        return "KUBE-EXT-" + service.serviceChain().substring("KUBE-SVC-".length());
    }
}
