package io.kpsim.cluster;

import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.netfilter.KubeProxyConfig;
import io.kpsim.netfilter.KubeProxyIptablesRelease;
import io.kpsim.netfilter.KubeProxyRules;
import io.kpsim.netfilter.KubeService;
import io.kpsim.netfilter.NodeDatapath;
import io.kpsim.netfilter.Ruleset;
import io.kpsim.netfilter.nftables.KubeProxyNftBand;
import io.kpsim.netfilter.nftables.NftParser;
import io.kpsim.netfilter.nftables.NftPrinter;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import io.kpsim.tcp.TcpConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Assembles a {@link Cluster} from specs: nodes, pods, services, links (node to node, or a pod's
 * veth), workloads and injections. The spec records are the one description of a cluster: a
 * scenario binds YAML to them and hands them over unchanged. Every check that can fail on the
 * specs' combination runs in {@link #build()} and fails with a {@link ClusterSpecException} naming
 * the object; an {@code IllegalArgumentException} means the builder itself was misused (a kpsim
 * bug).
 *
 * <pre>{@code
 * Cluster c = new ClusterBuilder(1)
 *     .node("node-a", "10.0.0.1", "10.244.0.0/24", KernelProfile.V4_19, Map.of(), false)
 *     .node("node-b", "10.0.0.2", "10.244.1.0/24", KernelProfile.V4_19, Map.of(), false)
 *     .pod("client", "node-a", "10.244.0.2").pod("server", "node-b", "10.244.1.2")
 *     .service("default", "boom-server", "10.96.0.10", 9000, 9000, "server")
 *     .workload(BoomServerSpec.of("server"))
 *     .workload(new ConnectLoopSpec("client", Ip4.parse("10.96.0.10"), 9000, Durations.seconds(2), 0, 1))
 *     .build();
 * ClusterResults r = c.run(Durations.seconds(5));
 * }</pre>
 */
public final class ClusterBuilder {

    private final long seed;
    private final Map<String, NodeSpec> nodes = new LinkedHashMap<>();
    private final Map<String, PodSpec> pods = new LinkedHashMap<>();
    private final List<ServiceSpec> services = new ArrayList<>();
    private final Map<String, LinkImpairments> links = new LinkedHashMap<>();
    private final List<WorkloadSpec> workloads = new ArrayList<>();
    private final List<InjectionSpec> injections = new ArrayList<>();
    private final List<SecondLink> secondLinks = new ArrayList<>();
    private LinkImpairments defaultNodeLink = LinkImpairments.delay(100_000);
    private boolean fullMesh = true;
    private Cidr clusterCidr;
    private KubeProxyNftBand nftBand;
    private KubeProxyIptablesRelease iptablesRelease = KubeProxyIptablesRelease.DEFAULT;

    /** A builder whose cluster draws all randomness from {@code seed}. */
    public ClusterBuilder(long seed) {
        this.seed = seed;
    }

    /** Adds a node. */
    public ClusterBuilder node(NodeSpec spec) {
        if (nodes.putIfAbsent(spec.name(), spec) != null) {
            throw new ClusterSpecException("node " + spec.name() + " is defined twice");
        }
        return this;
    }

    /**
     * Adds a node from text: addresses, and {@code net.netfilter.*} sysctls by name (the prefix may
     * be left out) applied to {@code kernel}'s defaults.
     *
     * @throws ClusterSpecException {@code node NAME: sysctl ...} for a setting the kernel refuses
     */
    public ClusterBuilder node(
            String name,
            String ip,
            String podCidr,
            KernelProfile kernel,
            Map<String, String> sysctls,
            boolean dropInvalid) {
        Sysctls settings = Sysctls.defaults(kernel);
        for (Map.Entry<String, String> e : sysctls.entrySet()) {
            try {
                settings = settings.with(e.getKey(), e.getValue());
            } catch (IllegalArgumentException ex) {
                throw new ClusterSpecException("node " + name + ": " + ex.getMessage(), ex);
            }
        }
        return node(new NodeSpec(name, Ip4.parse(ip), Cidr.parse(podCidr), settings, dropInvalid));
    }

    /** Adds a pod. */
    public ClusterBuilder pod(PodSpec spec) {
        if (pods.putIfAbsent(spec.name(), spec) != null) {
            throw new ClusterSpecException("pod " + spec.name() + " is defined twice");
        }
        return this;
    }

    /** Adds a pod with Linux's TCP defaults. */
    public ClusterBuilder pod(String name, String node, String ip) {
        return pod(new PodSpec(name, node, Ip4.parse(ip)));
    }

    /** Adds a service. */
    public ClusterBuilder service(ServiceSpec spec) {
        services.add(spec);
        return this;
    }

    /** Adds a service with one unnamed TCP port. */
    public ClusterBuilder service(
            String namespace, String name, String clusterIp, int port, int targetPort, String... endpointPods) {
        return service(new ServiceSpec(
                namespace,
                name,
                Ip4.parse(clusterIp),
                List.of(ServicePortSpec.tcp(port, targetPort)),
                List.of(endpointPods)));
    }

    /** The impairments of every node-to-node direction not configured by {@link #link}. */
    public ClusterBuilder defaultNodeLink(LinkImpairments impairments) {
        this.defaultNodeLink = impairments;
        return this;
    }

    /** Whether every node pair gets links ({@code true}, default) or only the configured ones. */
    public ClusterBuilder fullMesh(boolean on) {
        this.fullMesh = on;
        return this;
    }

    /**
     * Configures the one-way link from {@code from} to {@code to}: two nodes, or a pod and its own
     * node (one direction of the pod's veth, {@link LinkImpairments#veth()} when not configured).
     */
    public ClusterBuilder link(String from, String to, LinkImpairments impairments) {
        if (impairments == null) {
            throw new IllegalArgumentException("link " + from + "->" + to + " has no impairments");
        }
        if (links.putIfAbsent(from + "->" + to, impairments) != null) {
            throw new ClusterSpecException("link " + from + "->" + to + " is defined twice");
        }
        return this;
    }

    /**
     * Adds a second wire between nodes {@code a} and {@code b}, both directions with
     * {@code impairments}: on each node a device called {@code name} with the node's address, used
     * only by routes that name it ({@link NodeRoute#link()}).
     */
    public ClusterBuilder secondLink(String a, String b, String name, LinkImpairments impairments) {
        if (impairments == null) {
            throw new IllegalArgumentException("second link " + name + " has no impairments");
        }
        secondLinks.add(new SecondLink(a, b, name, impairments));
        return this;
    }

    /** Configures both directions between {@code a} and {@code b} alike. */
    public ClusterBuilder linkPair(String a, String b, LinkImpairments impairments) {
        return link(a, b, impairments).link(b, a, impairments);
    }

    /** kube-proxy's {@code --cluster-cidr}; by default the smallest prefix covering every pod CIDR. */
    public ClusterBuilder clusterCidr(String cidr) {
        this.clusterCidr = Cidr.parse(cidr);
        return this;
    }

    /**
     * In iptables mode, writes the rules of kube-proxy {@code release} (default
     * {@link KubeProxyIptablesRelease#DEFAULT}).
     */
    public ClusterBuilder iptablesRelease(KubeProxyIptablesRelease release) {
        this.iptablesRelease = java.util.Objects.requireNonNull(release, "release");
        return this;
    }

    /**
     * Runs kube-proxy in nftables mode with the rules of {@code band}'s releases instead of its
     * iptables rules; {@code null} returns to iptables mode.
     */
    public ClusterBuilder nftables(KubeProxyNftBand band) {
        this.nftBand = band;
        return this;
    }

    /**
     * Node {@code name}'s ruleset in nftables mode as {@code nft list ruleset} prints it.
     *
     * @throws ClusterSpecException when the specs do not hold together, or the node does not exist
     * @throws IllegalStateException when the builder is in iptables mode
     */
    public String nftablesRuleset(String name) {
        if (nftBand == null) {
            throw new IllegalStateException("kube-proxy runs in iptables mode");
        }
        check();
        NodeSpec node = nodes.get(name);
        if (node == null) {
            throw new ClusterSpecException("no node named '" + name + "'");
        }
        Cidr cidr = clusterCidr != null ? clusterCidr : ClusterValidation.covering(nodes.values());
        List<KubeService> kube = KubeProxyServices.of(services, pods);
        return NftPrinter.print(NftParser.parse(
                "kube-proxy-" + name + ".nft",
                KubeProxyNftNode.text(kube, KubeProxyServices.nodePorts(services, kube), nftBand, cidr, node)));
    }

    /** Adds a workload. */
    public ClusterBuilder workload(WorkloadSpec spec) {
        workloads.add(spec);
        return this;
    }

    /** Adds a scripted injection. */
    public ClusterBuilder inject(InjectionSpec spec) {
        injections.add(spec);
        return this;
    }

    /**
     * How big a run of {@code durationNanos} of this cluster will be, worked out without building
     * it: packets, data, connections and peak heap ({@link Estimator} has the model and its measured
     * costs).
     *
     * @param narrated whether the run is traced for a story (the CLI's text and JSON output), which
     *                 keeps each packet's path while it is in flight
     * @throws ClusterSpecException when the described cluster cannot exist (as {@link #build()})
     */
    public RunEstimate estimate(long durationNanos, boolean narrated) {
        check();
        return new Estimator(nodes, pods, services, links, defaultNodeLink, fullMesh, workloads, injections.size())
                .estimate(durationNanos, narrated);
    }

    /**
     * Validates everything and builds the cluster.
     *
     * @throws ClusterSpecException when the described cluster cannot exist, naming the objects
     */
    public Cluster build() {
        check();
        Cluster cluster = new Cluster(seed);
        Cidr cidr = clusterCidr != null ? clusterCidr : ClusterValidation.covering(nodes.values());
        List<NodeSpec> nodeList = new ArrayList<>(nodes.values());
        Ruleset[] rules = kubeProxyRules(cidr, nodeList);
        List<KubeService> kube = KubeProxyServices.of(services, pods);
        Map<String, Node> built = new HashMap<>();
        for (int k = 0; k < nodeList.size(); k++) {
            NodeSpec spec = nodeList.get(k);
            NodeDatapath datapath = NodeRoutes.datapath(
                    cluster,
                    spec,
                    k,
                    nodeList,
                    nftBand == null ? rules[k] : Ruleset.empty(),
                    new FirstLinks(),
                    secondLinks);
            if (nftBand != null) {
                datapath.rules(
                        null,
                        KubeProxyNftNode.programs(
                                kube, KubeProxyServices.nodePorts(services, kube), nftBand, cidr, spec));
            }
            Node node = new Node(spec, k, cluster, datapath);
            built.put(spec.name(), node);
            cluster.add(node);
        }
        for (NodeSpec a : nodeList) {
            for (NodeSpec b : nodeList) {
                LinkImpairments imp = impairments(a, b);
                if (imp != null) {
                    Node from = built.get(a.name());
                    Node to = built.get(b.name());
                    String in = Node.uplinkName(from.index());
                    Link link = newLink(cluster, a.name() + "->" + b.name(), imp, new NodeEnd(to, in));
                    from.addUplink(Node.uplinkName(to.index()), link);
                }
            }
        }
        for (SecondLink l : secondLinks) {
            for (int d = 0; d < 2; d++) {
                Node from = built.get(d == 0 ? l.a() : l.b());
                Node to = built.get(d == 0 ? l.b() : l.a());
                Link link = newLink(
                        cluster,
                        from.name() + "->" + to.name() + "/" + l.name(),
                        l.impairments(),
                        new NodeEnd(to, l.name()));
                from.addUplink(l.name(), link);
            }
        }
        for (NodeSpec spec : nodeList) {
            Node node = built.get(spec.name());
            List<String> hostPods = new ArrayList<>();
            TcpConfig tcp = TcpConfig.linux();
            for (PodSpec p : pods.values()) {
                if (p.hostNetwork() && p.node().equals(spec.name())) {
                    hostPods.add(p.name());
                    tcp = p.tcp();
                }
            }
            Pod host = new Pod(spec.name(), spec.ip(), node, cluster, tcp, true);
            host.stack().addAddress(spec.podCidr().network() + 1);
            Link lo = newLink(cluster, spec.name() + ":lo", LinkImpairments.delay(0), new PodEnd(host));
            node.host(host, lo);
            cluster.addHost(host, hostPods);
        }
        for (PodSpec spec : pods.values()) {
            if (spec.hostNetwork()) {
                continue;
            }
            Node node = built.get(spec.node());
            Pod pod = new Pod(spec.name(), spec.ip(), node, cluster, spec.tcp());
            String up = spec.name() + "->" + node.name();
            String down = node.name() + "->" + spec.name();
            pod.attach(newLink(
                    cluster, up, links.getOrDefault(up, LinkImpairments.veth()), new NodeEnd(node, Node.BRIDGE)));
            node.addPodVeth(
                    spec.ip(),
                    newLink(cluster, down, links.getOrDefault(down, LinkImpairments.veth()), new PodEnd(pod)));
            cluster.add(pod);
        }
        cluster.workloads(Workloads.of(cluster, workloads, injections));
        return cluster;
    }

    private void check() {
        ClusterValidation.check(nodes, pods, services, links.keySet(), workloads, injections);
        ClusterValidation.checkPaths(nodes, pods, services, secondLinks, new FirstLinksByName());
    }

    /**
     * Whether a node has a first link to another. A class rather than a lambda: each lambda is a call
     * site linked at its first use in every run (src/docs/benchmarks.md, "Start-up", session 11).
     */
    private final class FirstLinks implements BiPredicate<NodeSpec, NodeSpec> {
        @Override
        public boolean test(NodeSpec a, NodeSpec b) {
            return impairments(a, b) != null;
        }
    }

    /** {@link FirstLinks} by the nodes' names. */
    private final class FirstLinksByName implements BiPredicate<String, String> {
        @Override
        public boolean test(String a, String b) {
            NodeSpec x = nodes.get(a);
            NodeSpec y = nodes.get(b);
            return x != null && y != null && impairments(x, y) != null;
        }
    }

    private LinkImpairments impairments(NodeSpec a, NodeSpec b) {
        if (a == b) {
            return null;
        }
        LinkImpairments configured = links.get(a.name() + "->" + b.name());
        return configured != null ? configured : fullMesh ? defaultNodeLink : null;
    }

    private static Link newLink(Cluster cluster, String name, LinkImpairments imp, PacketReceiver receiver) {
        Link link = new Link(
                name, cluster.simulation(), imp, cluster.streams().stream("link:" + name), receiver, cluster.tracer());
        cluster.add(link);
        return link;
    }

    private Ruleset[] kubeProxyRules(Cidr cidr, List<NodeSpec> nodeList) {
        List<KubeService> kube = KubeProxyServices.of(services, pods);
        Ruleset[] rules = new Ruleset[nodeList.size()];
        if (nftBand != null) {
            return rules;
        }
        Map<Boolean, Ruleset> cache = new HashMap<>();
        for (int k = 0; k < rules.length; k++) {
            boolean drop = nodeList.get(k).dropInvalid();
            Ruleset same = cache.get(drop);
            if (same == null) {
                same = KubeProxyRules.ruleset(
                        kube,
                        KubeProxyConfig.of(cidr, drop).withRelease(iptablesRelease),
                        KubeProxyServices.nodePorts(services, kube));
                cache.put(drop, same);
            }
            rules[k] = same;
        }
        return rules;
    }
}
