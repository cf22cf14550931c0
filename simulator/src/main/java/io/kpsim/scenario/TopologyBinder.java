package io.kpsim.scenario;

import io.kpsim.cluster.NodeSpec;
import io.kpsim.cluster.PodSpec;
import io.kpsim.cluster.ServicePortSpec;
import io.kpsim.cluster.ServiceSpec;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import io.kpsim.tcp.TcpConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Binds {@code spec.nodes}, {@code spec.pods} and {@code spec.services} (always in that order, so
 * references resolve wherever they are written) and checks the addressing plan the way a cluster
 * would need it: unique names and addresses, disjoint pod CIDRs inside kube-proxy's cluster CIDR,
 * pod IPs inside their node's pod CIDR, ClusterIPs outside every pod network. Every node gets the
 * scenario's conntrack sysctls and kube-proxy drop setting; every pod its TCP settings. Each
 * service is admitted by {@link ServiceBinder}.
 */
final class TopologyBinder {

    static final List<String> NODE_KEYS = List.of("name", "ip", "podCIDR", "routes");
    static final List<String> POD_KEYS = List.of("name", "node", "ip", "tcp", "hostNetwork");
    static final List<String> SERVICE_KEYS = List.of("namespace", "name", "clusterIP", "ports", "endpoints");
    static final String DEFAULT_NAMESPACE = "default";

    private final Diagnostics diagnostics;
    private final Values values;
    private final Cidr clusterCidr;
    private final Sysctls sysctls;
    private final boolean dropInvalid;
    private final Map<String, NodeSpec> nodes = new LinkedHashMap<>();
    private final Map<String, PodSpec> pods = new LinkedHashMap<>();
    private final Map<String, TcpTuning> tuning = new HashMap<>();
    private final Map<String, ServiceSpec> services = new LinkedHashMap<>();
    private final Map<String, Node> nameAt = new HashMap<>();
    private final Set<String> declaredNodes = new LinkedHashSet<>();
    private final Set<String> declaredPods = new LinkedHashSet<>();
    private final Map<Integer, String> addressOwner = new HashMap<>();
    private final List<Cidr> podCidrs = new ArrayList<>();
    private final Map<String, Node> routesAt = new LinkedHashMap<>();
    private final Map<String, String> routePaths = new HashMap<>();
    private final RouteBinder routes;
    private final ServiceBinder serviceBinder;

    /**
     * @param clusterCidr kube-proxy's {@code --cluster-cidr}, or {@code null}
     * @param sysctls the conntrack settings every node gets
     * @param dropInvalid whether every node's KUBE-FORWARD drops INVALID packets
     */
    TopologyBinder(Diagnostics diagnostics, Values values, Cidr clusterCidr, Sysctls sysctls, boolean dropInvalid) {
        this.diagnostics = diagnostics;
        this.values = values;
        this.clusterCidr = clusterCidr;
        this.sysctls = sysctls;
        this.dropInvalid = dropInvalid;
        this.routes = new RouteBinder(diagnostics, values);
        this.serviceBinder = new ServiceBinder(diagnostics, values, clusterCidr, this, services);
    }

    void bind(Mapping spec) {
        List<Node> nodeItems = values.sequence(spec.get("nodes"), "spec.nodes");
        if (nodeItems != null) {
            for (int i = 0; i < nodeItems.size(); i++) {
                node(nodeItems.get(i), "spec.nodes[" + i + "]");
            }
        }
        for (Map.Entry<String, Node> e : routesAt.entrySet()) {
            NodeSpec node = nodes.get(e.getKey());
            List<io.kpsim.cluster.NodeRoute> list = routes.bind(node, e.getValue(), routePaths.get(e.getKey()), this);
            if (list != null) {
                nodes.put(node.name(), node.withRoutes(list));
            }
        }
        List<Node> podItems = values.sequence(spec.get("pods"), "spec.pods");
        if (podItems != null) {
            for (int i = 0; i < podItems.size(); i++) {
                pod(podItems.get(i), "spec.pods[" + i + "]");
            }
        }
        List<Node> serviceItems = values.sequence(spec.get("services"), "spec.services");
        if (serviceItems != null) {
            for (int i = 0; i < serviceItems.size(); i++) {
                serviceBinder.bind(serviceItems.get(i), "spec.services[" + i + "]", podCidrs);
            }
        }
    }

    /** The routes' binder, whose {@code link} names are checked once the links are bound. */
    RouteBinder routes() {
        return routes;
    }

    List<NodeSpec> nodes() {
        return new ArrayList<>(nodes.values());
    }

    List<PodSpec> pods() {
        return new ArrayList<>(pods.values());
    }

    List<ServiceSpec> services() {
        return new ArrayList<>(services.values());
    }

    /**
     * The node {@code name} (reporting at {@code at} when it does not exist), or {@code null}
     * (silently when the node is declared but already reported broken).
     */
    NodeSpec node(String name, Node at, String path) {
        NodeSpec node = nodes.get(name);
        if (node == null && !declaredNodes.contains(name)) {
            diagnostics.error(
                    at, path + ": node '" + name + "' does not exist" + Suggestions.hint(name, declaredNodes));
        }
        return node;
    }

    /**
     * The pod {@code name} (reporting at {@code at} when it does not exist), or {@code null}
     * (silently when the pod is declared but already reported broken).
     */
    PodSpec pod(String name, Node at, String path) {
        PodSpec pod = pods.get(name);
        if (pod == null && !declaredPods.contains(name)) {
            diagnostics.error(at, path + ": pod '" + name + "' does not exist" + Suggestions.hint(name, declaredPods));
        }
        return pod;
    }

    /** Whether a node (not a pod) is declared with {@code name}, bound or broken. */
    boolean isNode(String name) {
        return declaredNodes.contains(name);
    }

    /** Whether a pod is declared with {@code name}, bound or broken. */
    boolean isPod(String name) {
        return declaredPods.contains(name);
    }

    /** The bound node {@code name}, or {@code null}. */
    NodeSpec boundNode(String name) {
        return nodes.get(name);
    }

    /** The bound pod {@code name}, or {@code null}. */
    PodSpec boundPod(String name) {
        return pods.get(name);
    }

    /** The {@code tcp:} settings of the bound pod {@code name} as written (its read rate included). */
    TcpTuning tuning(String name) {
        return tuning.get(name);
    }

    /** The bound service whose ClusterIP is {@code clusterIp}, or {@code null}. */
    ServiceSpec serviceAt(int clusterIp) {
        for (ServiceSpec s : services.values()) {
            if (s.clusterIp() == clusterIp) {
                return s;
            }
        }
        return null;
    }

    /** Every node and pod name, nodes first, for hints. */
    List<String> nodeAndPodNames() {
        List<String> names = new ArrayList<>(declaredNodes);
        names.addAll(declaredPods);
        return names;
    }

    /** Whether a service {@code namespace/name} is declared, bound or broken. */
    boolean isDeclaredService(String qualifiedName) {
        return serviceBinder.declared(qualifiedName);
    }

    /** Services by {@code namespace/name}. */
    Map<String, ServiceSpec> servicesByName() {
        return services;
    }

    private void node(Node item, String path) {
        Mapping m = Mapping.read(diagnostics, item, path, NODE_KEYS);
        if (m == null) {
            return;
        }
        String name = uniqueName(m, path, "node");
        Node ipNode = m.required("ip");
        Integer ip = ipNode == null ? null : values.ip(ipNode, path + ".ip");
        Node cidrNode = m.required("podCIDR");
        Cidr podCidr = cidrNode == null ? null : values.cidr(cidrNode, path + ".podCIDR");
        if (podCidr != null) {
            for (NodeSpec other : nodes.values()) {
                if (other.podCidr().overlaps(podCidr)) {
                    diagnostics.error(
                            cidrNode,
                            path + ".podCIDR: " + podCidr + " overlaps node " + other.name() + "'s podCIDR "
                                    + other.podCidr() + " (expected disjoint pod CIDRs)");
                    podCidr = null;
                    break;
                }
            }
        }
        if (podCidr != null
                && clusterCidr != null
                && !(clusterCidr.contains(podCidr.network()) && podCidr.prefixLength() >= clusterCidr.prefixLength())) {
            diagnostics.error(
                    cidrNode,
                    path + ".podCIDR: " + podCidr + " is outside the cluster CIDR " + clusterCidr
                            + " (expected a part of spec.kubeProxy.clusterCIDR)");
        }
        if (ip != null && podCidr != null && podCidr.contains(ip)) {
            diagnostics.error(
                    ipNode,
                    path + ".ip: " + Ip4.format(ip) + " is inside the node's own podCIDR " + podCidr
                            + " (expected a node address outside every pod CIDR)");
            ip = null;
        }
        if (ip != null) {
            ip = claim(ip, ipNode, path + ".ip", "node " + name);
        }
        if (name != null && ip != null && podCidr != null) {
            podCidrs.add(podCidr);
            nodes.put(name, new NodeSpec(name, ip, podCidr, sysctls, dropInvalid));
            if (m.has("routes")) {
                routesAt.put(name, m.get("routes"));
                routePaths.put(name, path + ".routes");
            }
        }
    }

    private void pod(Node item, String path) {
        Mapping m = Mapping.read(diagnostics, item, path, POD_KEYS);
        if (m == null) {
            return;
        }
        String name = uniqueName(m, path, "pod");
        Node nodeRef = m.required("node");
        String nodeName = nodeRef == null ? null : values.name(nodeRef, path + ".node");
        NodeSpec node = nodeName == null ? null : node(nodeName, nodeRef, path + ".node");
        Boolean host = m.has("hostNetwork") ? values.bool(m.get("hostNetwork"), path + ".hostNetwork") : Boolean.FALSE;
        boolean hostNetwork = host != null && host;
        Node ipNode = hostNetwork ? m.get("ip") : m.required("ip");
        Integer ip = ipNode == null ? null : values.ip(ipNode, path + ".ip");
        if (hostNetwork && node != null) {
            if (ip != null && ip != node.ip()) {
                diagnostics.error(
                        ipNode,
                        path + ".ip: " + Ip4.format(ip) + " is not node " + node.name() + "'s address " + node.ipText()
                                + " (a hostNetwork pod has its node's address; leave ip out)");
            }
            ip = ip == null || ip == node.ip() ? (Integer) node.ip() : null;
        } else if (ip != null && node != null) {
            Cidr cidr = node.podCidr();
            if (!cidr.contains(ip)) {
                diagnostics.error(
                        ipNode,
                        path + ".ip: " + Ip4.format(ip) + " is outside node " + node.name() + "'s podCIDR " + cidr
                                + " (expected an address in " + cidr + ")");
                ip = null;
            } else if (cidr.prefixLength() < 31
                    && (ip == cidr.network() || ip == (cidr.network() | ~Ip4.mask(cidr.prefixLength())))) {
                diagnostics.error(
                        ipNode,
                        path + ".ip: " + Ip4.format(ip) + " is the " + (ip == cidr.network() ? "network" : "broadcast")
                                + " address of " + cidr + " (expected a host address)");
                ip = null;
            }
        }
        if (ip != null && !hostNetwork) {
            ip = claim(ip, ipNode, path + ".ip", "pod " + name);
        }
        TcpTuning tcp = m.has("tcp")
                ? new TcpTuningBinder(diagnostics, values).bind(m.get("tcp"), path + ".tcp")
                : TcpTuning.DEFAULT;
        TcpConfig config = null;
        if (tcp != null) {
            try {
                config = tcp.config();
            } catch (IllegalArgumentException e) {
                diagnostics.error(m.get("tcp"), path + ".tcp: " + e.getMessage());
            }
        }
        if (name != null && node != null && ip != null && config != null && host != null) {
            pods.put(name, new PodSpec(name, node.name(), ip, config, hostNetwork));
            tuning.put(name, tcp);
        }
    }

    /**
     * The service a client connecting to {@code ip:port} reaches: by ClusterIP, or by a node's
     * address and a NodePort; {@code null} for none.
     */
    ServiceSpec serviceFor(int ip, int port) {
        ServiceSpec byClusterIp = serviceAt(ip);
        if (byClusterIp != null) {
            return byClusterIp;
        }
        for (NodeSpec n : nodes.values()) {
            if (n.ip() == ip) {
                for (ServiceSpec s : services.values()) {
                    for (ServicePortSpec p : s.ports()) {
                        if (p.nodePort() == port) {
                            return s;
                        }
                    }
                }
            }
        }
        return null;
    }

    /** Reads {@code name}, checking it is unique among nodes and pods. */
    private String uniqueName(Mapping m, String path, String what) {
        Node nameNode = m.required("name");
        String name = nameNode == null ? null : values.name(nameNode, path + ".name");
        if (name == null) {
            return null;
        }
        Node first = nameAt.get(name);
        if (first != null) {
            diagnostics.error(
                    nameNode,
                    path + ".name: '" + name + "' is already the name of a "
                            + (declaredNodes.contains(name) ? "node" : "pod")
                            + Values.firstAt(first) + " (expected names unique among nodes and pods)");
            return null;
        }
        nameAt.put(name, nameNode);
        (what.equals("node") ? declaredNodes : declaredPods).add(name);
        return name;
    }

    /** Registers {@code ip} as owned by {@code owner}; reports and returns {@code null} if taken. */
    Integer claim(int ip, Node at, String path, String owner) {
        String previous = addressOwner.putIfAbsent(ip, owner);
        if (previous != null) {
            diagnostics.error(
                    at,
                    path + ": " + Ip4.format(ip) + " is already the address of " + previous
                            + " (expected unique addresses)");
            return null;
        }
        return ip;
    }
}
