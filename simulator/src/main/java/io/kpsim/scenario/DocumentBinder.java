package io.kpsim.scenario;

import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.engine.Durations;
import io.kpsim.netfilter.nftables.KubeProxyNftBand;
import io.kpsim.packet.Cidr;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Binds the document ({@code apiVersion}, {@code kind}, {@code metadata}, {@code spec}) and the
 * scalar parts of {@code spec}, and hands the lists to {@link TopologyBinder}, {@link LinkBinder},
 * {@link WorkloadBinder} and {@link RunBinder}. Every problem goes to {@link Diagnostics}; the
 * result is only handed out by {@link ScenarioLoader} when there was none.
 */
final class DocumentBinder {

    /** The only {@code apiVersion} this release reads. */
    static final String API_VERSION = "kpsim/v1";

    static final String KIND = "Scenario";

    static final List<String> TOP_KEYS = List.of("apiVersion", "kind", "metadata", "spec");
    static final List<String> METADATA_KEYS = List.of("name", "description");
    static final List<String> SPEC_KEYS = List.of(
            "seed",
            "duration",
            "kernel",
            "sysctls",
            "kubeProxy",
            "nodes",
            "pods",
            "services",
            "links",
            "workloads",
            "injections",
            "expect");
    static final List<String> KUBE_PROXY_KEYS = List.of("mode", "version", "dropInvalid", "clusterCIDR", "conntrack");
    static final List<String> CONNTRACK_KEYS =
            List.of("tcpBeLiberal", "maxPerCore", "min", "cores", "tcpEstablishedTimeout", "tcpCloseWaitTimeout");

    /** Default seed when {@code spec.seed} is absent. */
    static final long DEFAULT_SEED = 1;

    private final Diagnostics diagnostics;
    private final Values values;

    DocumentBinder(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.values = new Values(diagnostics);
    }

    Scenario bind(Node root) {
        Mapping top = Mapping.read(diagnostics, root, "the document", TOP_KEYS);
        if (top == null) {
            return null;
        }
        Node apiVersion = top.required("apiVersion");
        if (apiVersion != null) {
            String text = values.text(apiVersion, "apiVersion");
            if (text != null && !text.equals(API_VERSION)) {
                diagnostics.error(
                        apiVersion, "apiVersion: '" + text + "' is not supported (expected " + API_VERSION + ")");
            }
        }
        Node kind = top.required("kind");
        if (kind != null) {
            String text = values.text(kind, "kind");
            if (text != null && !text.equals(KIND)) {
                diagnostics.error(kind, "kind: '" + text + "' is not supported (expected " + KIND + ")");
            }
        }
        Metadata metadata = metadata(top);
        Node specNode = top.required("spec");
        Mapping spec = specNode == null ? null : Mapping.read(diagnostics, specNode, "spec", SPEC_KEYS);
        if (spec == null) {
            return null;
        }
        ScenarioSpec scenarioSpec = spec(spec);
        return new Scenario(diagnostics.source(), metadata, scenarioSpec);
    }

    private Metadata metadata(Mapping top) {
        Node node = top.required("metadata");
        Mapping metadata = node == null ? null : Mapping.read(diagnostics, node, "metadata", METADATA_KEYS);
        if (metadata == null) {
            return new Metadata("", "");
        }
        Node nameNode = metadata.required("name");
        String name = nameNode == null ? null : values.objectName(nameNode, "metadata.name");
        Node descriptionNode = metadata.get("description");
        String description = descriptionNode == null || Values.isNull(descriptionNode)
                ? ""
                : values.text(descriptionNode, "metadata.description");
        return new Metadata(name == null ? "" : name, description == null ? "" : description.strip());
    }

    private ScenarioSpec spec(Mapping spec) {
        long seed = DEFAULT_SEED;
        if (spec.has("seed")) {
            Long value = values.integer(spec.get("seed"), "spec.seed", Long.MIN_VALUE, Long.MAX_VALUE);
            seed = value == null ? DEFAULT_SEED : value;
        }
        Node durationNode = spec.required("duration");
        Long duration =
                durationNode == null ? null : values.duration(durationNode, "spec.duration", 1, Durations.ONE_DAY);
        KernelProfile kernel = kernel(spec);
        String kernelText = kernel == null ? KernelProfile.defaultProfile().label() : kernelText(spec, kernel);
        Map<String, String> sysctls = sysctls(spec, kernel);
        KubeProxySpec kubeProxy = kubeProxy(spec);
        Sysctls nodeSysctls = nodeSysctls(kernel, sysctls, kubeProxy, spec);

        TopologyBinder topology = new TopologyBinder(
                diagnostics,
                values,
                kubeProxy.clusterCidr().orElse(null),
                nodeSysctls,
                // iptables mode: the release's own drop (1.15+, 1.29+ only without be_liberal) or the
                // operator's; nftables mode: the operator's table only (1.29 writes its own, see
                // KubeProxyNftNode)
                kubeProxy.nftables().isPresent()
                        ? kubeProxy.dropInvalid()
                        : kubeProxy.invalidDropped(nodeSysctls.tcpBeLiberal()));
        topology.bind(spec);
        LinkBinder links = new LinkBinder(diagnostics, values, topology);
        links.bind(spec.get("links"), "spec.links");
        topology.routes().checkLinks(links);
        WorkloadBinder workloads = new WorkloadBinder(diagnostics, values, topology, duration);
        workloads.bind(spec.get("workloads"), "spec.workloads");
        RunBinder run = new RunBinder(diagnostics, values, topology, workloads, duration);
        run.bindInjections(spec.get("injections"), "spec.injections");
        run.bindExpectations(spec.get("expect"), "spec.expect");

        return new ScenarioSpec(
                seed,
                duration == null ? 0 : duration,
                kernel == null ? KernelProfile.defaultProfile() : kernel,
                sysctls,
                kubeProxy,
                topology.nodes(),
                topology.pods(),
                topology.services(),
                links.links(),
                workloads.workloads(),
                run.injections(),
                run.expectations(),
                kernelText);
    }

    /** {@code spec.kernel} as written (stripped), or the profile's label when absent. */
    private String kernelText(Mapping spec, KernelProfile kernel) {
        Node node = spec.get("kernel");
        String text = node == null ? null : values.text(node, "spec.kernel");
        return text == null ? kernel.label() : text.strip();
    }

    private KernelProfile kernel(Mapping spec) {
        Node node = spec.get("kernel");
        if (node == null) {
            return KernelProfile.defaultProfile();
        }
        String text = values.text(node, "spec.kernel");
        if (text == null) {
            return null;
        }
        try {
            return KernelProfile.parse(text.strip());
        } catch (IllegalArgumentException e) {
            diagnostics.error(node, "spec.kernel: " + e.getMessage());
            return null;
        }
    }

    private Map<String, String> sysctls(Mapping spec, KernelProfile kernel) {
        Map<String, String> settings = new LinkedHashMap<>();
        Node node = spec.get("sysctls");
        if (node == null || Values.isNull(node)) {
            return settings;
        }
        Mapping mapping = Mapping.read(diagnostics, node, "spec.sysctls", null);
        if (mapping == null) {
            return settings;
        }
        Sysctls sysctls = kernel == null ? null : SysctlCheck.start(kernel);
        for (Map.Entry<String, Node> entry : mapping.entries()) {
            String name = entry.getKey();
            String path = "spec.sysctls." + name;
            String value = values.text(entry.getValue(), path);
            if (value == null) {
                continue;
            }
            settings.put(name, value.strip());
            if (sysctls == null) {
                continue;
            }
            try {
                sysctls = SysctlCheck.step(sysctls, name, value.strip());
            } catch (IllegalArgumentException e) {
                // A known name with a bad value is the value's fault; anything else the name's.
                Node at = sysctls.asMap().containsKey(SysctlCheck.fullName(name))
                        ? entry.getValue()
                        : mapping.keyNode(name);
                diagnostics.error(at, "spec.sysctls: " + e.getMessage());
            }
        }
        return settings;
    }

    /**
     * The conntrack settings every node runs with once kube-proxy started; the kernel's defaults
     * when {@code spec.kernel} or a sysctl was already reported wrong (the scenario is refused then
     * anyway).
     */
    private Sysctls nodeSysctls(KernelProfile kernel, Map<String, String> sysctls, KubeProxySpec kp, Mapping spec) {
        KernelProfile k = kernel == null ? KernelProfile.defaultProfile() : kernel;
        Sysctls node;
        try {
            node = SysctlCheck.apply(k, sysctls);
        } catch (IllegalArgumentException e) {
            return Sysctls.defaults(k);
        }
        try {
            return kp.nodeSysctls(node);
        } catch (IllegalArgumentException e) {
            diagnostics.error(spec.get("kubeProxy"), "spec.kubeProxy.conntrack: " + e.getMessage());
            return node;
        }
    }

    private KubeProxySpec kubeProxy(Mapping spec) {
        Node node = spec.get("kubeProxy");
        Mapping kp = node == null ? null : Mapping.read(diagnostics, node, "spec.kubeProxy", KUBE_PROXY_KEYS);
        if (kp == null) {
            return KubeProxySpec.DEFAULT;
        }
        Boolean dropInvalid = kp.has("dropInvalid")
                ? values.bool(kp.get("dropInvalid"), "spec.kubeProxy.dropInvalid")
                : Boolean.FALSE;
        Cidr clusterCidr =
                kp.has("clusterCIDR") ? values.cidr(kp.get("clusterCIDR"), "spec.kubeProxy.clusterCIDR") : null;
        String mode = kp.has("mode")
                ? values.choice(kp.get("mode"), "spec.kubeProxy.mode", List.of("iptables", "nftables"))
                : "iptables";
        String version = kp.has("version") ? values.text(kp.get("version"), "spec.kubeProxy.version") : null;
        KubeProxyNftBand band = null;
        KubeProxyRelease release = null;
        if (version != null) {
            try {
                release = KubeProxyRelease.parse(version);
                version = release.label();
            } catch (IllegalArgumentException e) {
                diagnostics.error(kp.get("version"), "spec.kubeProxy.version: " + e.getMessage());
                version = null;
            }
        }
        if ("nftables".equals(mode) && (release != null || !kp.has("version"))) {
            try {
                band = KubeProxyNftBand.of(version == null ? "1.34" : version);
            } catch (IllegalArgumentException e) {
                diagnostics.error(kp.get("version"), "spec.kubeProxy.version: " + e.getMessage());
            }
        }
        KubeProxyConntrack conntrack = kp.has("conntrack") ? conntrack(kp.get("conntrack"), release) : null;
        return new KubeProxySpec(
                dropInvalid != null && dropInvalid,
                Optional.ofNullable(clusterCidr),
                Optional.ofNullable(band),
                Optional.ofNullable(band != null && version == null ? "1.34" : version),
                Optional.ofNullable(conntrack));
    }

    /** {@code spec.kubeProxy.conntrack}, kube-proxy's defaults for what is not given. */
    private KubeProxyConntrack conntrack(Node node, KubeProxyRelease release) {
        String path = "spec.kubeProxy.conntrack";
        Mapping m = Mapping.read(diagnostics, node, path, CONNTRACK_KEYS);
        KubeProxyConntrack d = KubeProxyConntrack.DEFAULTS;
        if (m == null) {
            return d;
        }
        boolean liberal = false;
        if (m.has("tcpBeLiberal")) {
            Boolean b = values.bool(m.get("tcpBeLiberal"), path + ".tcpBeLiberal");
            liberal = b != null && b;
            if (liberal && release != null && !release.hasBeLiberalFlag()) {
                diagnostics.error(
                        m.get("tcpBeLiberal"),
                        path + ".tcpBeLiberal: kube-proxy " + release.label()
                                + " has no --conntrack-tcp-be-liberal (added in 1.29, kubernetes PR 120354);"
                                + " set spec.sysctls.nf_conntrack_tcp_be_liberal instead");
            }
        }
        long perCore = count(m, "maxPerCore", path, d.maxPerCore(), 0);
        long min = count(m, "min", path, d.min(), 0);
        long cores = count(m, "cores", path, d.cores(), 1);
        long established = seconds(m, "tcpEstablishedTimeout", path, d.tcpEstablishedTimeoutSeconds());
        long closeWait = seconds(m, "tcpCloseWaitTimeout", path, d.tcpCloseWaitTimeoutSeconds());
        return new KubeProxyConntrack(liberal, perCore, min, cores, established, closeWait);
    }

    private long count(Mapping m, String key, String path, long otherwise, long min) {
        if (!m.has(key)) {
            return otherwise;
        }
        Long v = values.integer(m.get(key), path + "." + key, min, Integer.MAX_VALUE);
        return v == null ? otherwise : v;
    }

    /** A duration kube-proxy writes in whole seconds ({@code int(d / time.Second)}); 0 leaves it alone. */
    private long seconds(Mapping m, String key, String path, long otherwise) {
        if (!m.has(key)) {
            return otherwise;
        }
        Long nanos = values.duration(m.get(key), path + "." + key, 0, Durations.ONE_DAY * 365);
        return nanos == null ? otherwise : nanos / Durations.NANOS_PER_SECOND;
    }
}
