package io.kpsim.cluster;

import io.kpsim.packet.Ports;
import io.kpsim.packet.Protocol;

/**
 * One port of a service, as in a Kubernetes {@code ServicePort}: kube-proxy DNATs
 * {@code clusterIP:port} to {@code endpointIP:targetPort}.
 *
 * @param name IANA service name ({@code ""} when the service has a single unnamed port)
 * @param port 1..65535, unique per service and protocol
 * @param targetPort 1..65535, the port on the endpoint pods
 * @param protocol {@link Protocol#TCP} or {@link Protocol#UDP}
 * @param nodePort the port every node opens for it ({@code type: NodePort}), or 0 for none
 */
public record ServicePortSpec(String name, int port, int targetPort, Protocol protocol, int nodePort) {

    /** Validates. */
    public ServicePortSpec {
        name = name == null ? "" : name;
        if (protocol == null) {
            throw new IllegalArgumentException("service port " + port + " has no protocol");
        }
        Ports.check(port, "service port");
        Ports.check(targetPort, "service port " + port + " target");
        if (nodePort != 0) {
            Ports.check(nodePort, "service port " + port + " nodePort");
        }
    }

    /** A port without a NodePort. */
    public ServicePortSpec(String name, int port, int targetPort, Protocol protocol) {
        this(name, port, targetPort, protocol, 0);
    }

    /** An unnamed TCP port. */
    public static ServicePortSpec tcp(int port, int targetPort) {
        return new ServicePortSpec("", port, targetPort, Protocol.TCP);
    }
}
