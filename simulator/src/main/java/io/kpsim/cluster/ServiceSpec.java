package io.kpsim.cluster;

import io.kpsim.packet.Protocol;
import java.util.List;

/**
 * One port of a ClusterIP service and the pods behind it, as kube-proxy turns it into
 * KUBE-SVC-* and KUBE-SEP-* chains on every node.
 *
 * @param namespace the service's namespace
 * @param name the service's name
 * @param portName the port's name, empty when unnamed
 * @param protocol TCP or UDP
 * @param clusterIp the virtual IP
 * @param port the service port
 * @param targetPort the port on the endpoint pods
 * @param endpointPods the pods behind the service, in endpoint order
 */
public record ServiceSpec(
        String namespace,
        String name,
        String portName,
        Protocol protocol,
        int clusterIp,
        int port,
        int targetPort,
        List<String> endpointPods) {

    /** Validates and copies. */
    public ServiceSpec {
        Names.check(namespace, "service namespace");
        Names.check(name, "service");
        portName = portName == null ? "" : portName;
        if (protocol == null) {
            throw new IllegalArgumentException("service " + name + " has no protocol");
        }
        if (port < 1 || port > 0xffff || targetPort < 1 || targetPort > 0xffff) {
            throw new IllegalArgumentException(
                    "service " + name + ": ports " + port + "/" + targetPort + " are not in 1..65535");
        }
        endpointPods = List.copyOf(endpointPods);
        if (endpointPods.isEmpty()) {
            throw new IllegalArgumentException("service " + name + " has no endpoint pods");
        }
    }
}
