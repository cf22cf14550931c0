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
 */
public record ServicePortSpec(String name, int port, int targetPort, Protocol protocol) {

    /** Validates. */
    public ServicePortSpec {
        name = name == null ? "" : name;
        if (protocol == null) {
            throw new IllegalArgumentException("service port " + port + " has no protocol");
        }
        Ports.check(port, "service port");
        Ports.check(targetPort, "service port " + port + " target");
    }

    /** An unnamed TCP port. */
    public static ServicePortSpec tcp(int port, int targetPort) {
        return new ServicePortSpec("", port, targetPort, Protocol.TCP);
    }
}
