package io.kpsim.scenario;

import io.kpsim.cluster.FileServerSpec;
import io.kpsim.cluster.NodeSpec;
import io.kpsim.cluster.ServicePortSpec;
import io.kpsim.cluster.ServiceSpec;
import io.kpsim.cluster.WorkloadSpec;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The service a client workload names, resolved as the client would meet it: the address it
 * connects to (the ClusterIP and port cluster DNS gives, or with {@code nodePortOn} a node's
 * address and the port's NodePort, as {@code kube-proxy}'s KUBE-NODEPORTS rules serve it), and the
 * file servers behind it whose file size a download must agree with. Apart from
 * {@link WorkloadBinder} so that binding a workload's own keys and looking behind its service each
 * read as one concept.
 */
final class ServiceTarget {

    private final Diagnostics diagnostics;
    private final Values values;
    private final TopologyBinder topology;
    /** The bound servers by {@code pod:port}. */
    private final Map<String, WorkloadSpec> listeners;

    ServiceTarget(
            Diagnostics diagnostics, Values values, TopologyBinder topology, Map<String, WorkloadSpec> listeners) {
        this.diagnostics = diagnostics;
        this.values = values;
        this.topology = topology;
        this.listeners = listeners;
    }

    /** The file size of the file server behind the first endpoint of {@code service}. */
    long defaultFileSize(ServiceRef service) {
        ServiceSpec s = spec(service);
        ServicePortSpec port = s.port(service.port()).orElseThrow();
        WorkloadSpec server = listeners.get(s.endpoints().get(0) + ":" + port.targetPort());
        return ((FileServerSpec) server).fileBytes();
    }

    /**
     * Whether every file server behind {@code service} sends files of {@code size} bytes, as the
     * download reads exactly that many before it closes; reports the first that does not.
     */
    boolean sameFileSize(ServiceRef service, long size, Node at, String path) {
        ServiceSpec s = spec(service);
        ServicePortSpec port = s.port(service.port()).orElseThrow();
        for (String endpoint : s.endpoints()) {
            FileServerSpec server = (FileServerSpec) listeners.get(endpoint + ":" + port.targetPort());
            if (server.fileBytes() != size) {
                diagnostics.error(
                        at,
                        path + ": " + Sizes.format(size) + " is not the " + Sizes.format(server.fileBytes())
                                + " that the file server on pod '" + endpoint + "' port " + port.targetPort()
                                + " sends (expected its fileSize, or leave fileSize out)");
                return false;
            }
        }
        return true;
    }

    /**
     * Where a client connects: the service's ClusterIP and port, or with {@code nodePortOn: NODE} that
     * node's address and the port's NodePort; {@code null} after reporting.
     */
    int[] address(ServiceRef service, Mapping m, String path) {
        if (!m.has("nodePortOn")) {
            return new int[] {spec(service).clusterIp(), service.port()};
        }
        Node at = m.get("nodePortOn");
        String name = values.name(at, path + ".nodePortOn");
        NodeSpec node = name == null ? null : topology.node(name, at, path + ".nodePortOn");
        if (node == null) {
            return null;
        }
        int nodePort = spec(service).port(service.port()).orElseThrow().nodePort();
        if (nodePort == 0) {
            diagnostics.error(
                    at,
                    path + ".nodePortOn: port " + service.port() + " of service " + service
                            + " has no nodePort (expected nodePort: N on that service port)");
            return null;
        }
        return new int[] {node.ip(), nodePort};
    }

    private ServiceSpec spec(ServiceRef service) {
        return topology.servicesByName().get(service.namespace() + "/" + service.name());
    }
}
