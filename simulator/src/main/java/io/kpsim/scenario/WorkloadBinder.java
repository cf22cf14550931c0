package io.kpsim.scenario;

import io.kpsim.cluster.BoomServerSpec;
import io.kpsim.cluster.ConnectLoopSpec;
import io.kpsim.cluster.DownloadClientSpec;
import io.kpsim.cluster.FileServerSpec;
import io.kpsim.cluster.ServiceSpec;
import io.kpsim.cluster.WorkloadKind;
import io.kpsim.cluster.WorkloadSpec;
import io.kpsim.engine.Durations;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Binds {@code spec.workloads}, a list discriminated by {@code kind} (each kind has its own keys).
 * Servers are bound first-come; clients are resolved after all servers are known, so a client's
 * service must lead to endpoints that really run a matching server on the target port (a typo there
 * would otherwise only show up as refused connections in the run). A client's service is resolved
 * to the ClusterIP and port it connects to, as cluster DNS would ({@link ServiceTarget}).
 */
final class WorkloadBinder {

    static final List<String> KINDS = kinds();
    static final List<String> FILE_SERVER_KEYS = List.of("kind", "pod", "port", "fileSize");
    static final List<String> DOWNLOAD_KEYS =
            List.of("kind", "pod", "service", "nodePortOn", "fileSize", "count", "parallel", "readRate", "startAt");
    static final List<String> BOOM_SERVER_KEYS = List.of("kind", "pod", "port", "closeAfter", "seqOffset");
    static final List<String> CONNECT_LOOP_KEYS =
            List.of("kind", "pod", "service", "nodePortOn", "interval", "count", "startAt");

    /** The most downloads or connections one workload may ask for. */
    static final long MAX_COUNT = 1_000_000;
    /** The most downloads one workload may run at once. */
    static final long MAX_PARALLEL = 10_000;

    // A plain loop, not a stream: a stream pipeline's lambdas and classes are linked at their first
    // use, in every scenario's binding (src/docs/benchmarks.md, "Start-up", session 9).
    private static List<String> kinds() {
        List<String> names = new ArrayList<>();
        for (WorkloadKind kind : WorkloadKind.values()) {
            names.add(kind.yamlName());
        }
        return List.copyOf(names);
    }

    private final Diagnostics diagnostics;
    private final Values values;
    private final TopologyBinder topology;
    private final Long durationNanos;
    private final List<Supplier<WorkloadSpec>> slots = new ArrayList<>();
    private final Map<String, WorkloadSpec> listeners = new HashMap<>();
    private final Map<String, Node> listenerAt = new HashMap<>();
    private final Set<String> podsWithWorkloads = new HashSet<>();
    private final ServiceTarget targets;
    private List<WorkloadSpec> workloads = List.of();
    private boolean complete = true;

    WorkloadBinder(Diagnostics diagnostics, Values values, TopologyBinder topology, Long durationNanos) {
        this.diagnostics = diagnostics;
        this.values = values;
        this.topology = topology;
        this.durationNanos = durationNanos;
        this.targets = new ServiceTarget(diagnostics, values, topology, listeners);
    }

    /** The bound workloads in document order. */
    List<WorkloadSpec> workloads() {
        return workloads;
    }

    /** Whether every entry of {@code spec.workloads} was bound (none was reported broken). */
    boolean complete() {
        return complete;
    }

    /** Whether {@code pod} is named by any workload (so it has connections to inject into). */
    boolean runsWorkload(String pod) {
        return podsWithWorkloads.contains(pod);
    }

    void bind(Node node, String path) {
        List<Node> items = values.sequence(node, path);
        if (items != null) {
            for (int i = 0; i < items.size(); i++) {
                workload(items.get(i), path + "[" + i + "]");
            }
        }
        List<WorkloadSpec> bound = new ArrayList<>();
        for (Supplier<WorkloadSpec> slot : slots) {
            WorkloadSpec w = slot.get();
            if (w != null) {
                bound.add(w);
            }
        }
        workloads = bound;
        complete = items != null && bound.size() == items.size();
    }

    private void workload(Node item, String path) {
        String word = kind(item, path);
        if (word == null) {
            return;
        }
        switch (WorkloadKind.values()[KINDS.indexOf(word)]) {
            case FILE_SERVER -> fileServer(Mapping.read(diagnostics, item, path, FILE_SERVER_KEYS), path);
            case BOOM_SERVER -> boomServer(Mapping.read(diagnostics, item, path, BOOM_SERVER_KEYS), path);
            case DOWNLOAD -> download(Mapping.read(diagnostics, item, path, DOWNLOAD_KEYS), path);
            case CONNECT_LOOP -> connectLoop(Mapping.read(diagnostics, item, path, CONNECT_LOOP_KEYS), path);
        }
    }

    /** The item's {@code kind}, read before the keys (which depend on it), or {@code null}. */
    private String kind(Node item, String path) {
        if (!(item instanceof MappingNode)) {
            diagnostics.error(
                    item,
                    path + ": expected a mapping with a kind (one of " + String.join(", ", KINDS) + "), found "
                            + Values.describe(item));
            return null;
        }
        for (NodeTuple t : ((MappingNode) item).getValue()) {
            if (t.getKeyNode() instanceof ScalarNode
                    && ((ScalarNode) t.getKeyNode()).getValue().equals("kind")) {
                return values.choice(t.getValueNode(), path + ".kind", KINDS);
            }
        }
        diagnostics.error(
                item,
                "missing required key 'kind' under " + path + " (expected one of: " + String.join(", ", KINDS) + ")");
        return null;
    }

    private void fileServer(Mapping m, String path) {
        if (m == null) {
            return;
        }
        String pod = pod(m, path);
        Integer port = listenPort(m, path, pod);
        Long size = m.has("fileSize")
                ? values.size(m.get("fileSize"), path + ".fileSize", 1, Sizes.ONE_TIB)
                : (Long) FileServerSpec.DEFAULT_FILE_SIZE;
        if (pod != null && port != null && size != null) {
            register(pod, port, new FileServerSpec(pod, port, size, true));
        }
    }

    private void boomServer(Mapping m, String path) {
        if (m == null) {
            return;
        }
        String pod = pod(m, path);
        Integer port = listenPort(m, path, pod);
        Long closeAfter = m.has("closeAfter")
                ? values.duration(m.get("closeAfter"), path + ".closeAfter", 1, Durations.ONE_DAY)
                : (Long) BoomServerSpec.DEFAULT_CLOSE_AFTER_NANOS;
        Long offset = m.has("seqOffset")
                ? values.size(m.get("seqOffset"), path + ".seqOffset", 1, BoomServerSpec.MAX_SEQ_OFFSET)
                : (Long) BoomServerSpec.DEFAULT_SEQ_OFFSET;
        if (pod != null && port != null && closeAfter != null && offset != null) {
            register(pod, port, new BoomServerSpec(pod, port, closeAfter, offset));
        }
    }

    private void download(Mapping m, String path) {
        if (m == null) {
            return;
        }
        String pod = pod(m, path);
        Node serviceNode = m.required("service");
        Long size =
                m.has("fileSize") ? values.size(m.get("fileSize"), path + ".fileSize", 1, Sizes.ONE_TIB) : (Long) 0L;
        Long count = m.has("count") ? values.integer(m.get("count"), path + ".count", 1, MAX_COUNT) : (Long) 1L;
        Long parallel =
                m.has("parallel") ? values.integer(m.get("parallel"), path + ".parallel", 1, MAX_PARALLEL) : (Long) 1L;
        if (count != null && parallel != null && parallel > count) {
            diagnostics.error(
                    m.get("parallel"),
                    path + ".parallel: " + parallel + " is more than count " + count + " (expected parallel <= count)");
            parallel = null;
        }
        Long readRate =
                m.has("readRate") ? values.rate(m.get("readRate"), path + ".readRate", 1, Rates.ONE_TBIT) : (Long) 0L;
        Long startAt = startAt(m, path, 0L);
        Long sizeF = size;
        Long countF = count;
        Long parallelF = parallel;
        slots.add(() -> {
            ServiceRef service = serviceNode == null
                    ? null
                    : new ServiceRefBinder(diagnostics, values, topology)
                            .bind(serviceNode, path + ".service", listeners, true);
            if (pod == null
                    || service == null
                    || sizeF == null
                    || countF == null
                    || parallelF == null
                    || readRate == null
                    || startAt == null) {
                return null;
            }
            if (sizeF != 0 && !targets.sameFileSize(service, sizeF, m.get("fileSize"), path + ".fileSize")) {
                return null;
            }
            long fileSize = sizeF != 0 ? sizeF : targets.defaultFileSize(service);
            long rate = readRate != 0 ? readRate : topology.tuning(pod).readRateBitsPerSecond();
            int[] target = targets.address(service, m, path);
            if (target == null) {
                return null;
            }
            return new DownloadClientSpec(
                    pod,
                    target[0],
                    target[1],
                    fileSize,
                    countF.intValue(),
                    parallelF.intValue(),
                    startAt,
                    readBytesPerSecond(rate));
        });
    }

    private void connectLoop(Mapping m, String path) {
        if (m == null) {
            return;
        }
        String pod = pod(m, path);
        Node serviceNode = m.required("service");
        Node intervalNode = m.required("interval");
        Long interval = intervalNode == null
                ? null
                : values.duration(intervalNode, path + ".interval", 1_000, Durations.ONE_DAY);
        Long startAt = startAt(m, path, interval);
        if (!m.has("startAt") && interval != null && durationNanos != null && interval >= durationNanos) {
            diagnostics.error(
                    intervalNode,
                    path + ".interval: " + Durations.format(interval) + " is not shorter than"
                            + " spec.duration " + Durations.format(durationNanos) + ", so no connection would be opened"
                            + " (expected a shorter interval, or a startAt)");
            startAt = null;
        }
        Long count = m.has("count") ? values.integer(m.get("count"), path + ".count", 1, MAX_COUNT) : null;
        if (!m.has("count") && interval != null && startAt != null && durationNanos != null) {
            long fit = Math.max(1, (durationNanos - startAt + interval - 1) / interval);
            if (fit > MAX_COUNT) {
                diagnostics.error(
                        intervalNode,
                        path + ".interval: " + Durations.format(interval) + " would open " + fit
                                + " connections in " + Durations.format(durationNanos) + " (expected at most "
                                + MAX_COUNT
                                + "; set count or a longer interval)");
            } else {
                count = fit;
            }
        }
        Long countF = count;
        Long startAtF = startAt;
        slots.add(() -> {
            ServiceRef service = serviceNode == null
                    ? null
                    : new ServiceRefBinder(diagnostics, values, topology)
                            .bind(serviceNode, path + ".service", listeners, false);
            if (pod == null || service == null || interval == null || countF == null || startAtF == null) {
                return null;
            }
            int[] target = targets.address(service, m, path);
            if (target == null) {
                return null;
            }
            return new ConnectLoopSpec(pod, target[0], target[1], interval, startAtF, countF.intValue());
        });
    }

    private String pod(Mapping m, String path) {
        Node node = m.required("pod");
        String name = node == null ? null : values.name(node, path + ".pod");
        if (name != null) {
            podsWithWorkloads.add(name);
        }
        return name == null || topology.pod(name, node, path + ".pod") == null ? null : name;
    }

    private Integer listenPort(Mapping m, String path, String pod) {
        Node node = m.required("port");
        Integer port = node == null ? null : values.port(node, path + ".port");
        if (port != null && pod != null && listenerAt.containsKey(pod + ":" + port)) {
            diagnostics.error(
                    node,
                    path + ".port: pod '" + pod + "' already has a server on port " + port
                            + Values.firstAt(listenerAt.get(pod + ":" + port))
                            + " (expected one server per pod and port)");
            return null;
        }
        if (port != null && pod != null) {
            listenerAt.put(pod + ":" + port, node);
        }
        return port;
    }

    private void register(String pod, int port, WorkloadSpec server) {
        listeners.put(pod + ":" + port, server);
        slots.add(() -> server);
    }

    private Long startAt(Mapping m, String path, Long defaultValue) {
        if (!m.has("startAt")) {
            return defaultValue;
        }
        Long startAt = values.duration(m.get("startAt"), path + ".startAt", 0, Durations.ONE_DAY);
        if (startAt != null && durationNanos != null && startAt >= durationNanos) {
            diagnostics.error(
                    m.get("startAt"),
                    path + ".startAt: " + Durations.format(startAt) + " is not before the end" + " of the scenario at "
                            + Durations.format(durationNanos) + " (expected startAt < spec.duration)");
            return null;
        }
        return startAt;
    }

    /**
     * A read rate in bits per second as the socket's bytes per second; {@link TcpTuning#UNLIMITED}
     * is a reader that keeps up with anything. Rates under one byte per second read one byte a second.
     */
    static long readBytesPerSecond(long bitsPerSecond) {
        return bitsPerSecond == TcpTuning.UNLIMITED
                ? DownloadClientSpec.READ_INSTANTLY
                : Math.max(1, bitsPerSecond / 8);
    }

    /**
     * The pods whose client workloads connect to a service with {@code serverPod} as an endpoint,
     * in document order: the connections an injection from {@code serverPod} can forge a segment on.
     */
    List<String> clientsOf(String serverPod) {
        List<String> clients = new ArrayList<>();
        for (WorkloadSpec w : workloads) {
            ServiceSpec service = switch (w.kind()) {
                case DOWNLOAD ->
                    topology.serviceFor(((DownloadClientSpec) w).serverIp(), ((DownloadClientSpec) w).serverPort());
                case CONNECT_LOOP ->
                    topology.serviceFor(((ConnectLoopSpec) w).serverIp(), ((ConnectLoopSpec) w).serverPort());
                case FILE_SERVER, BOOM_SERVER -> null;
            };
            if (service != null && service.endpoints().contains(serverPod) && !clients.contains(w.pod())) {
                clients.add(w.pod());
            }
        }
        return clients;
    }
}
