package io.kpsim.scenario;

import io.kpsim.cluster.ServicePortSpec;
import io.kpsim.packet.Protocol;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Binds {@code spec.services[].ports}, as in a Kubernetes {@code ServicePort}: at least one port,
 * each named when there are several, names unique, and each port number used once per protocol.
 */
final class ServicePortBinder {

    static final List<String> PORT_KEYS = List.of("name", "port", "targetPort", "protocol", "nodePort");

    private final Diagnostics diagnostics;
    private final Values values;

    ServicePortBinder(Diagnostics diagnostics, Values values) {
        this.diagnostics = diagnostics;
        this.values = values;
    }

    /** The ports, or {@code null} after reporting a problem. */
    List<ServicePortSpec> bind(Mapping service, String path) {
        Node portsNode = service.required("ports");
        if (portsNode == null) {
            return null;
        }
        List<Node> items = values.sequence(portsNode, path + ".ports");
        if (items == null) {
            return null;
        }
        if (items.isEmpty()) {
            diagnostics.error(
                    portsNode, path + ".ports: a service needs at least one port (expected e.g. - {port: 80})");
            return null;
        }
        List<ServicePortSpec> ports = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            String p = path + ".ports[" + i + "]";
            Mapping m = Mapping.read(diagnostics, items.get(i), p, PORT_KEYS);
            if (m == null) {
                ok = false;
                continue;
            }
            String name = "";
            if (m.has("name")) {
                name = values.portName(m.get("name"), p + ".name");
            } else if (items.size() > 1) {
                diagnostics.error(
                        m.node(),
                        "missing required key 'name' under " + p
                                + " (a service with several ports must name each one)");
                name = null;
            }
            Node portNode = m.required("port");
            Integer port = portNode == null ? null : values.port(portNode, p + ".port");
            Integer target = m.has("targetPort") ? values.port(m.get("targetPort"), p + ".targetPort") : port;
            Protocol protocol = Protocol.TCP;
            if (m.has("protocol")) {
                String text = values.choice(m.get("protocol"), p + ".protocol", List.of("TCP", "UDP"));
                protocol = text == null ? null : Protocol.valueOf(text);
            }
            Integer nodePort = m.has("nodePort") ? values.port(m.get("nodePort"), p + ".nodePort") : (Integer) 0;
            if (name == null || port == null || target == null || protocol == null || nodePort == null) {
                ok = false;
                continue;
            }
            for (ServicePortSpec other : ports) {
                if (!name.isEmpty() && other.name().equals(name)) {
                    diagnostics.error(
                            m.get("name"), p + ".name: port name '" + name + "' is used twice (expected unique names)");
                    ok = false;
                }
                if (other.port() == port && other.protocol() == protocol) {
                    diagnostics.error(
                            portNode,
                            p + ".port: " + protocol + " port " + port
                                    + " is used twice (expected unique port and protocol)");
                    ok = false;
                }
            }
            for (ServicePortSpec other : ports) {
                if (nodePort != 0 && other.nodePort() == nodePort && other.protocol() == protocol) {
                    diagnostics.error(
                            m.get("nodePort"),
                            p + ".nodePort: " + protocol + " nodePort " + nodePort
                                    + " is used twice (expected unique NodePorts)");
                    ok = false;
                }
            }
            ports.add(new ServicePortSpec(name, port, target, protocol, nodePort));
        }
        return ok ? ports : null;
    }
}
