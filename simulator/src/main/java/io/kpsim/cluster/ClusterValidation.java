package io.kpsim.cluster;

import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The cross-object checks of {@link ClusterBuilder#build()}: names, addresses, references. */
final class ClusterValidation {

    private ClusterValidation() {}

    static void check(
            Map<String, NodeSpec> nodes,
            Map<String, PodSpec> pods,
            List<ServiceSpec> services,
            Set<String> links,
            List<WorkloadSpec> workloads,
            List<InjectionSpec> injections) {
        if (nodes.isEmpty()) {
            throw new ClusterSpecException("the cluster has no nodes");
        }
        Map<Integer, String> addresses = new HashMap<>();
        NodeSpec[] list = nodes.values().toArray(new NodeSpec[0]);
        for (int i = 0; i < list.length; i++) {
            claim(addresses, list[i].ip(), "node " + list[i].name());
            for (int j = 0; j < i; j++) {
                if (list[i].podCidr().overlaps(list[j].podCidr())) {
                    throw new ClusterSpecException("pod CIDR " + list[i].podCidr() + " of node " + list[i].name()
                            + " overlaps " + list[j].podCidr() + " of node " + list[j].name());
                }
            }
        }
        for (PodSpec p : pods.values()) {
            NodeSpec n = nodes.get(p.node());
            if (n == null) {
                throw new ClusterSpecException("pod " + p.name() + " is on unknown node " + p.node());
            }
            if (nodes.containsKey(p.name())) {
                throw new ClusterSpecException("pod " + p.name() + " has the name of a node");
            }
            if (p.hostNetwork()) {
                if (p.ip() != n.ip()) {
                    throw new ClusterSpecException("hostNetwork pod " + p.name() + " has address " + Ip4.format(p.ip())
                            + ", not its node's " + n.ipText());
                }
                continue;
            }
            if (!n.podCidr().contains(p.ip())
                    || p.ip() == n.podCidr().network()
                    || p.ip() == n.podCidr().network() + 1) {
                throw new ClusterSpecException("pod " + p.name() + " address " + Ip4.format(p.ip())
                        + " is not a pod address of node " + n.name() + " (" + n.podCidr()
                        + ", network and .1 gateway excluded)");
            }
            claim(addresses, p.ip(), "pod " + p.name());
        }
        Set<String> servicePorts = new HashSet<>();
        for (ServiceSpec s : services) {
            for (String e : s.endpoints()) {
                if (!pods.containsKey(e)) {
                    throw new ClusterSpecException("service " + s.name() + " has unknown endpoint pod " + e);
                }
            }
            for (NodeSpec n : list) {
                if (n.podCidr().contains(s.clusterIp())) {
                    throw new ClusterSpecException("service " + s.name() + " ClusterIP " + Ip4.format(s.clusterIp())
                            + " is inside the pod CIDR of node " + n.name());
                }
            }
            for (ServicePortSpec port : s.ports()) {
                if (!servicePorts.add(s.clusterIp() + "/" + port.protocol() + "/" + port.port())) {
                    throw new ClusterSpecException("service " + s.name() + ": " + Ip4.format(s.clusterIp()) + ":"
                            + port.port() + "/" + port.protocol() + " is used twice");
                }
            }
        }
        for (String link : links) {
            String[] ends = link.split("->", 2);
            if (!joinsNodes(nodes, ends) && !isVeth(pods, ends)) {
                throw new ClusterSpecException(
                        "link " + link + " does not join two different known nodes, or a known pod and its node");
            }
        }
        for (WorkloadSpec w : workloads) {
            if (!pods.containsKey(w.pod())) {
                throw new ClusterSpecException(w.getClass().getSimpleName() + " runs on unknown pod " + w.pod());
            }
            switch (w.kind()) {
                case DOWNLOAD -> checkFileSize((DownloadClientSpec) w, pods, services, workloads);
                case FILE_SERVER, BOOM_SERVER, CONNECT_LOOP -> {
                    // Servers listen on any port; a connect loop reads nothing, so any server answers it.
                }
            }
        }
        for (InjectionSpec i : injections) {
            if (!pods.containsKey(i.fromPod()) || !pods.containsKey(i.clientPod())) {
                throw new ClusterSpecException("injection at " + i.atNanos() + " ns names unknown pod "
                        + (pods.containsKey(i.fromPod()) ? i.clientPod() : i.fromPod()));
            }
        }
    }

    /**
     * The checks of the path pieces: second links, per-node routes, hostNetwork pods sharing a
     * stack, NodePorts.
     *
     * @param firstLink whether a node has its first link to another
     */
    static void checkPaths(
            Map<String, NodeSpec> nodes,
            Map<String, PodSpec> pods,
            List<ServiceSpec> services,
            List<SecondLink> secondLinks,
            java.util.function.BiPredicate<String, String> firstLink) {
        Map<String, Set<String>> devices = new HashMap<>();
        for (SecondLink l : secondLinks) {
            if (!joinsNodes(nodes, new String[] {l.a(), l.b()})) {
                throw new ClusterSpecException("second link " + l.name() + " does not join two different known nodes: "
                        + l.a() + ", " + l.b());
            }
            if (!l.name().matches("[A-Za-z0-9_.-]{1,15}") || l.name().matches("eth[0-9]+|lo|" + Node.BRIDGE)) {
                throw new ClusterSpecException("second link name '" + l.name() + "' is not a free device name"
                        + " (expected 1 to 15 letters, digits, '_', '.', '-', and not lo, " + Node.BRIDGE
                        + " or ethN)");
            }
            for (String end : List.of(l.a(), l.b())) {
                if (!devices.computeIfAbsent(end, k -> new HashSet<>()).add(l.name())) {
                    throw new ClusterSpecException("node " + end + " has two devices called " + l.name());
                }
            }
        }
        for (NodeSpec n : nodes.values()) {
            for (NodeRoute r : n.routes()) {
                String where = "node " + n.name() + " route to " + r.destination();
                if (!nodes.containsKey(r.via()) || r.via().equals(n.name())) {
                    throw new ClusterSpecException(where + ": next hop " + r.via() + " is not another known node");
                }
                if (r.link().isEmpty() && !firstLink.test(n.name(), r.via())) {
                    throw new ClusterSpecException(where + ": no link from " + n.name() + " to " + r.via());
                }
                if (!r.link().isEmpty()
                        && secondLinks.stream()
                                .noneMatch(l -> l.name().equals(r.link())
                                        && (l.a().equals(n.name()) && l.b().equals(r.via())
                                                || l.b().equals(n.name()) && l.a().equals(r.via())))) {
                    throw new ClusterSpecException(
                            where + ": no second link " + r.link() + " between " + n.name() + " and " + r.via());
                }
            }
        }
        Map<String, TcpConfigOwner> hostTcp = new HashMap<>();
        for (PodSpec p : pods.values()) {
            if (p.hostNetwork()) {
                TcpConfigOwner first = hostTcp.putIfAbsent(p.node(), new TcpConfigOwner(p.name(), p.tcp()));
                if (first != null && !first.tcp().equals(p.tcp())) {
                    throw new ClusterSpecException("hostNetwork pods " + first.pod() + " and " + p.name()
                            + " share node " + p.node() + "'s TCP stack but have different tcp settings");
                }
            }
        }
        Map<String, String> nodePorts = new HashMap<>();
        for (ServiceSpec s : services) {
            for (ServicePortSpec port : s.ports()) {
                if (port.nodePort() != 0) {
                    String key = port.protocol() + "/" + port.nodePort();
                    String previous = nodePorts.putIfAbsent(key, s.qualifiedName());
                    if (previous != null) {
                        throw new ClusterSpecException("service " + s.qualifiedName() + ": nodePort " + port.nodePort()
                                + "/" + port.protocol() + " is already used by " + previous);
                    }
                }
            }
        }
    }

    /** The first hostNetwork pod of a node and its TCP settings. */
    private record TcpConfigOwner(String pod, io.kpsim.tcp.TcpConfig tcp) {}

    private static boolean joinsNodes(Map<String, NodeSpec> nodes, String[] ends) {
        return nodes.containsKey(ends[0]) && nodes.containsKey(ends[1]) && !ends[0].equals(ends[1]);
    }

    /** Whether {@code ends} are a pod and its own node, in either order: one direction of its veth. */
    private static boolean isVeth(Map<String, PodSpec> pods, String[] ends) {
        PodSpec up = pods.get(ends[0]);
        PodSpec down = pods.get(ends[1]);
        return (up != null && up.node().equals(ends[1]))
                || (down != null && down.node().equals(ends[0]));
    }

    private static void claim(Map<Integer, String> addresses, int ip, String owner) {
        String previous = addresses.putIfAbsent(ip, owner);
        if (previous != null) {
            throw new ClusterSpecException(owner + " has address " + Ip4.format(ip) + ", already used by " + previous);
        }
    }

    /** A download client's file size must be what the file servers behind its target send. */
    private static void checkFileSize(
            DownloadClientSpec d, Map<String, PodSpec> pods, List<ServiceSpec> services, List<WorkloadSpec> workloads) {
        for (ServiceSpec s : services) {
            for (ServicePortSpec port : s.ports()) {
                if (s.clusterIp() == d.serverIp() && port.port() == d.serverPort()) {
                    for (String e : s.endpoints()) {
                        checkServer(d, e, port.targetPort(), workloads);
                    }
                }
            }
        }
        for (PodSpec p : pods.values()) {
            if (p.ip() == d.serverIp()) {
                checkServer(d, p.name(), d.serverPort(), workloads);
            }
        }
    }

    private static void checkServer(DownloadClientSpec d, String pod, int port, List<WorkloadSpec> workloads) {
        for (WorkloadSpec w : workloads) {
            if (w instanceof FileServerSpec f
                    && f.pod().equals(pod)
                    && f.port() == port
                    && f.fileBytes() != d.fileBytes()) {
                throw new ClusterSpecException("download client on " + d.pod() + " expects " + d.fileBytes()
                        + " bytes but the file server on " + pod + ":" + port + " sends " + f.fileBytes());
            }
        }
    }

    /** The longest prefix containing every node's pod CIDR (kube-proxy's {@code --cluster-cidr}). */
    static Cidr covering(Collection<NodeSpec> nodes) {
        int length = 32;
        Integer first = null;
        for (NodeSpec n : nodes) {
            length = Math.min(length, n.podCidr().prefixLength());
            if (first == null) {
                first = n.podCidr().network();
            }
        }
        for (NodeSpec n : nodes) {
            while (length > 0 && ((n.podCidr().network() ^ first) & Ip4.mask(length)) != 0) {
                length--;
            }
        }
        return new Cidr(first & Ip4.mask(length), length);
    }
}
