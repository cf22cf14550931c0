package io.kpsim.scenario;

import io.kpsim.cluster.ServicePortSpec;
import io.kpsim.cluster.ServiceSpec;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Binds one item of {@code spec.services}, as the API server admits a Kubernetes Service: a name
 * unique in its namespace, a ClusterIP outside every pod network and owned by nothing else, ports
 * ({@link ServicePortBinder}) whose NodePorts no other service holds (the apiserver's NodePort
 * allocator), and endpoints that are existing pods, each listed once. Apart from
 * {@link TopologyBinder} so that the addressing plan of nodes and pods and a Service's admission
 * each read as one concept; the topology keeps the bound services and the address owners.
 */
final class ServiceBinder {

    private final Diagnostics diagnostics;
    private final Values values;
    private final Cidr clusterCidr;
    private final TopologyBinder topology;
    /** The bound services by {@code namespace/name}, shared with the topology. */
    private final Map<String, ServiceSpec> services;
    /** Where each declared service's name is written, by {@code namespace/name}, bound or broken. */
    private final Map<String, Node> nameAt = new HashMap<>();

    private final Map<String, String> nodePortOwner = new HashMap<>();

    ServiceBinder(
            Diagnostics diagnostics,
            Values values,
            Cidr clusterCidr,
            TopologyBinder topology,
            Map<String, ServiceSpec> services) {
        this.diagnostics = diagnostics;
        this.values = values;
        this.clusterCidr = clusterCidr;
        this.topology = topology;
        this.services = services;
    }

    /** Whether a service {@code namespace/name} is declared, bound or broken. */
    boolean declared(String qualifiedName) {
        return nameAt.containsKey(qualifiedName);
    }

    /** Binds the service at {@code item}, adding it to the bound services when it holds together. */
    void bind(Node item, String path, List<Cidr> podCidrs) {
        Mapping m = Mapping.read(diagnostics, item, path, TopologyBinder.SERVICE_KEYS);
        if (m == null) {
            return;
        }
        String namespace = m.has("namespace")
                ? values.name(m.get("namespace"), path + ".namespace")
                : TopologyBinder.DEFAULT_NAMESPACE;
        Node nameNode = m.required("name");
        String name = nameNode == null ? null : values.name(nameNode, path + ".name");
        if (name != null && namespace != null) {
            ServiceSpec existing = services.get(namespace + "/" + name);
            if (existing != null) {
                diagnostics.error(
                        nameNode,
                        path + ".name: service " + namespace + "/" + name + " is already defined"
                                + Values.firstAt(nameAt.get(namespace + "/" + name))
                                + " (expected unique names)");
                name = null;
            } else {
                nameAt.put(namespace + "/" + name, nameNode);
            }
        }
        Node ipNode = m.required("clusterIP");
        Integer clusterIp = ipNode == null ? null : values.ip(ipNode, path + ".clusterIP");
        if (clusterIp != null) {
            for (Cidr cidr : podCidrs) {
                if (cidr.contains(clusterIp)) {
                    diagnostics.error(
                            ipNode,
                            path + ".clusterIP: " + Ip4.format(clusterIp) + " is inside the pod CIDR " + cidr
                                    + " (expected a service address outside every pod network)");
                    clusterIp = null;
                    break;
                }
            }
        }
        if (clusterIp != null && clusterCidr != null && clusterCidr.contains(clusterIp)) {
            diagnostics.error(
                    ipNode,
                    path + ".clusterIP: " + Ip4.format(clusterIp) + " is inside the cluster CIDR " + clusterCidr
                            + " (expected a service address outside the pod network)");
            clusterIp = null;
        }
        if (clusterIp != null) {
            clusterIp = topology.claim(clusterIp, ipNode, path + ".clusterIP", "service " + namespace + "/" + name);
        }
        List<ServicePortSpec> ports = new ServicePortBinder(diagnostics, values).bind(m, path);
        if (ports != null && !nodePortsFree(ports, m, path, namespace + "/" + name)) {
            ports = null;
        }
        List<String> endpoints = endpoints(m, path);
        if (namespace != null && name != null && clusterIp != null && ports != null && endpoints != null) {
            services.put(namespace + "/" + name, new ServiceSpec(namespace, name, clusterIp, ports, endpoints));
        }
    }

    /** Whether no other service has taken one of these NodePorts; reports the first clash. */
    private boolean nodePortsFree(List<ServicePortSpec> ports, Mapping m, String path, String service) {
        for (ServicePortSpec p : ports) {
            if (p.nodePort() == 0) {
                continue;
            }
            String previous = nodePortOwner.putIfAbsent(p.protocol() + "/" + p.nodePort(), service);
            if (previous != null) {
                diagnostics.error(
                        m.get("ports"),
                        path + ".ports: nodePort " + p.nodePort() + "/" + p.protocol() + " is already taken by service "
                                + previous + " (expected NodePorts unique in the cluster)");
                return false;
            }
        }
        return true;
    }

    private List<String> endpoints(Mapping service, String path) {
        List<Node> items = values.sequence(service.get("endpoints"), path + ".endpoints");
        if (items == null) {
            return null;
        }
        List<String> endpoints = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            String p = path + ".endpoints[" + i + "]";
            String name = values.name(items.get(i), p);
            if (name == null || topology.pod(name, items.get(i), p) == null) {
                ok = false;
            } else if (endpoints.contains(name)) {
                diagnostics.error(
                        items.get(i), p + ": pod '" + name + "' is listed twice (expected each endpoint once)");
                ok = false;
            } else {
                endpoints.add(name);
            }
        }
        return ok ? endpoints : null;
    }
}
