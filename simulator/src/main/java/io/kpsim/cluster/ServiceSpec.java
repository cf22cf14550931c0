package io.kpsim.cluster;

import io.kpsim.packet.Ip4;
import java.util.List;
import java.util.Optional;

/**
 * A ClusterIP service and the pods behind it, from which kube-proxy builds a KUBE-SVC-* chain per
 * port and a KUBE-SEP-* chain per endpoint on every node.
 *
 * @param namespace DNS-1123 label, {@code default} in scenarios that give none
 * @param name DNS-1123 label, unique within the namespace
 * @param clusterIp the virtual IP ({@link Ip4} packed), unique, outside every pod CIDR
 * @param ports at least one, in document order
 * @param endpoints names of pods, in endpoint order (the order of the KUBE-SEP-* chains); the model
 *                  refuses a service without any ({@link ClusterBuilder#build()})
 */
public record ServiceSpec(
        String namespace, String name, int clusterIp, List<ServicePortSpec> ports, List<String> endpoints) {

    /** Validates and copies. */
    public ServiceSpec {
        Names.check(namespace, "service namespace");
        Names.check(name, "service");
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("service " + name + " has no ports");
        }
    }

    /** The port entry with service port {@code port}, if any. */
    public Optional<ServicePortSpec> port(int port) {
        for (ServicePortSpec p : ports) {
            if (p.port() == port) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** {@code namespace/name} as kube-proxy writes it in rule comments. */
    public String qualifiedName() {
        return namespace + "/" + name;
    }

    /** The ClusterIP as a dotted quad. */
    public String clusterIpText() {
        return Ip4.format(clusterIp);
    }
}
