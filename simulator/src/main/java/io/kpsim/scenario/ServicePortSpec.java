package io.kpsim.scenario;

import io.kpsim.packet.Protocol;
import java.util.Objects;

/**
 * One entry of {@code spec.services[].ports}, as in a Kubernetes {@code ServicePort}: kube-proxy
 * DNATs {@code clusterIP:port} to {@code endpointIP:targetPort}.
 *
 * @param name IANA service name ({@code ""} when the service has a single unnamed port)
 * @param port 1..65535, unique per service and protocol
 * @param targetPort 1..65535 (defaults to {@code port})
 * @param protocol {@link Protocol#TCP} or {@link Protocol#UDP}
 */
public record ServicePortSpec(String name, int port, int targetPort, Protocol protocol) {

    /** Null checks only. */
    public ServicePortSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protocol, "protocol");
    }
}
