package io.kpsim.netfilter;

import io.kpsim.packet.Protocol;
import java.util.List;

/**
 * One ClusterIP service port as kube-proxy sees it ({@code ServicePortName} plus its
 * endpoints): the input of {@link KubeProxyRules}.
 *
 * @param namespace the service's namespace
 * @param name the service's name
 * @param portName the port's name, or empty when the port is unnamed
 * @param protocol TCP or UDP
 * @param clusterIp the ClusterIP (the VIP)
 * @param port the service port
 * @param endpoints the ready endpoints (none: kube-proxy rejects new connections to the port)
 */
public record KubeService(
        String namespace,
        String name,
        String portName,
        Protocol protocol,
        int clusterIp,
        int port,
        List<KubeEndpoint> endpoints) {

    /** Validates and copies. */
    public KubeService {
        if (namespace == null || namespace.isEmpty() || name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a service needs a namespace and a name");
        }
        portName = portName == null ? "" : portName;
        if (protocol != Protocol.TCP && protocol != Protocol.UDP) {
            throw new IllegalArgumentException("service " + namespace + "/" + name + ": protocol must be TCP or UDP");
        }
        if (port < 1 || port > 0xffff) {
            throw new IllegalArgumentException(
                    "service " + namespace + "/" + name + ": port " + port + " is not in 1..65535");
        }
        endpoints = List.copyOf(endpoints);
    }

    /** {@code ServicePortName.String()}: {@code ns/name:port}, or {@code ns/name} for an unnamed port. */
    public String servicePortName() {
        return portName.isEmpty() ? namespace + "/" + name : namespace + "/" + name + ":" + portName;
    }

    /**
     * {@code ServicePortName.String()} as {@code release} prints it: up to 1.18 an unnamed port
     * keeps the colon ({@code ns/name:}), which changes its chain hashes and comments.
     */
    public String servicePortName(KubeProxyIptablesRelease release) {
        return portName.isEmpty() && release.unnamedPortKeepsColon() ? namespace + "/" + name + ":" : servicePortName();
    }

    /** Whether kube-proxy has no endpoint to send new connections to. */
    public boolean hasNoEndpoints() {
        return endpoints.isEmpty();
    }

    /** The KUBE-SVC chain name. */
    public String serviceChain() {
        return KubeChainNames.serviceChain(servicePortName(), protocol);
    }

    /** The KUBE-SEP chain name of one endpoint. */
    public String endpointChain(KubeEndpoint endpoint) {
        return KubeChainNames.endpointChain(servicePortName(), protocol, endpoint.toString());
    }
}
