package io.kpsim.scenario;

import io.kpsim.packet.Ip4;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code spec.services}: a ClusterIP service and its endpoints, from which kube-proxy
 * builds KUBE-SVC-* and KUBE-SEP-* chains.
 *
 * @param namespace DNS-1123 label, {@code default} when absent
 * @param name DNS-1123 label, unique within the namespace
 * @param clusterIp the virtual IP ({@link Ip4} packed), unique, outside every pod CIDR
 * @param ports at least one, in document order
 * @param endpoints names of pods, in document order (the order of KUBE-SEP-* chains); may be empty
 */
public record ServiceSpec(
        String namespace, String name, int clusterIp, List<ServicePortSpec> ports, List<String> endpoints) {

    /** Null checks and immutable copies. */
    public ServiceSpec {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
    }

    /** The port entry with service port {@code port}, if any. */
    public Optional<ServicePortSpec> port(int port) {
        return ports.stream().filter(p -> p.port() == port).findFirst();
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
