package io.kpsim.scenario;

import io.kpsim.cluster.ServicePortSpec;
import io.kpsim.cluster.ServiceSpec;
import io.kpsim.cluster.WorkloadKind;
import io.kpsim.cluster.WorkloadSpec;
import io.kpsim.packet.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Resolves a client's {@code service: [namespace/]name:port} (port by number or by name) to a
 * {@link ServiceRef}, and checks the path a connection would take: the service exists, the port is
 * TCP, it has endpoints, and every endpoint runs a server on the target port (a file server for
 * downloads).
 */
final class ServiceRefBinder {

    private static final String EXPECTED = "expected name:port or namespace/name:port, e.g. nginx:80";

    private final Diagnostics diagnostics;
    private final Values values;
    private final TopologyBinder topology;

    ServiceRefBinder(Diagnostics diagnostics, Values values, TopologyBinder topology) {
        this.diagnostics = diagnostics;
        this.values = values;
        this.topology = topology;
    }

    /**
     * The reference, or {@code null} after reporting.
     *
     * @param listeners servers by {@code pod:port}
     * @param needsFileServer whether the endpoints must run a {@link WorkloadKind#FILE_SERVER}
     */
    ServiceRef bind(Node node, String path, Map<String, WorkloadSpec> listeners, boolean needsFileServer) {
        String text = values.text(node, path);
        if (text == null) {
            return null;
        }
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        if (colon < 0) {
            diagnostics.error(node, path + ": '" + text + "' has no port (" + EXPECTED + ")");
            return null;
        }
        String qualified = t.substring(0, colon);
        String portText = t.substring(colon + 1);
        if (qualified.indexOf('/') < 0) {
            qualified = TopologyBinder.DEFAULT_NAMESPACE + "/" + qualified;
        }
        ServiceSpec service = topology.servicesByName().get(qualified);
        if (service == null) {
            if (!topology.isDeclaredService(qualified)) {
                diagnostics.error(
                        node,
                        path + ": service '" + qualified + "' does not exist"
                                + Suggestions.hint(
                                        qualified, topology.servicesByName().keySet()));
            }
            return null;
        }
        Optional<ServicePortSpec> port = byNumberOrName(service, portText);
        if (port.isEmpty()) {
            List<String> known = new ArrayList<>();
            for (ServicePortSpec p : service.ports()) {
                known.add(String.valueOf(p.port()));
                if (!p.name().isEmpty()) {
                    known.add(p.name());
                }
            }
            diagnostics.error(
                    node,
                    path + ": service " + qualified + " has no port '" + portText + "' (expected one of: "
                            + String.join(", ", known) + ")");
            return null;
        }
        ServicePortSpec p = port.get();
        if (p.protocol() != Protocol.TCP) {
            diagnostics.error(
                    node,
                    path + ": port " + p.port() + " of service " + qualified + " is " + p.protocol()
                            + " (expected a TCP port: clients here speak TCP)");
            return null;
        }
        if (service.endpoints().isEmpty()) {
            diagnostics.error(
                    node,
                    path + ": service " + qualified + " has no endpoints, so every connection would be"
                            + " refused (expected endpoints: [pod, ...] on the service)");
            return null;
        }
        for (String endpoint : service.endpoints()) {
            WorkloadSpec server = listeners.get(endpoint + ":" + p.targetPort());
            String fileServer = WorkloadKind.FILE_SERVER.yamlName();
            if (server == null || (needsFileServer && server.kind() != WorkloadKind.FILE_SERVER)) {
                String kind = needsFileServer ? fileServer : "server";
                diagnostics.error(
                        node,
                        path + ": endpoint pod '" + endpoint + "' of service " + qualified + " runs no "
                                + kind + " on target port " + p.targetPort() + " (expected a "
                                + (needsFileServer
                                        ? fileServer
                                        : WorkloadKind.BOOM_SERVER.yamlName() + " or " + fileServer)
                                + " workload with pod: " + endpoint + ", port: " + p.targetPort() + ")");
                return null;
            }
        }
        return new ServiceRef(service.namespace(), service.name(), p.port());
    }

    /**
     * The service's port numbered {@code text} when it is all digits, else the one named {@code text}. Plain loops,
     * not streams: every scenario with a client binds here (src/docs/benchmarks.md, "Start-up", session 9).
     */
    private static Optional<ServicePortSpec> byNumberOrName(ServiceSpec service, String text) {
        boolean digits = !text.isEmpty();
        for (int i = 0; i < text.length() && digits; i++) {
            digits = Character.isDigit(text.charAt(i));
        }
        if (digits) {
            Optional<Integer> number = parsePort(text);
            return number.isPresent() ? service.port(number.get()) : Optional.empty();
        }
        for (ServicePortSpec p : service.ports()) {
            if (p.name().equals(text)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static Optional<Integer> parsePort(String text) {
        try {
            return Optional.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
