package io.kpsim.scenario;

import io.kpsim.cluster.PodSpec;
import io.kpsim.engine.Durations;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Binds {@code spec.links}: which pair a link joins (two nodes, or a pod and its own node) and its
 * netem-like impairments, each checked against a sane range so a typo cannot turn into a run that
 * never ends (a 1-day delay) or means nothing (a loss of 1.5).
 */
final class LinkBinder {

    static final List<String> KEYS =
            List.of("name", "between", "delay", "jitter", "bandwidth", "queue", "loss", "duplicate", "reorder");
    static final List<String> REORDER_KEYS = List.of("probability", "holdFor");

    /** The smallest queue that holds one full-size frame. */
    static final long MIN_QUEUE = 1500;

    /** The smallest rate accepted: 1 kbit/s (below it a single frame takes 12 s). */
    static final long MIN_RATE = 1000;

    private final Diagnostics diagnostics;
    private final Values values;
    private final TopologyBinder topology;
    private final List<LinkSpec> links = new ArrayList<>();
    private final List<Node> linkAt = new ArrayList<>();
    /** Every {@code name} written, bound or refused (a route naming a refused link is not reported again). */
    private final Set<String> written = new HashSet<>();

    LinkBinder(Diagnostics diagnostics, Values values, TopologyBinder topology) {
        this.diagnostics = diagnostics;
        this.values = values;
        this.topology = topology;
    }

    List<LinkSpec> links() {
        return links;
    }

    /** Whether a link entry was written with {@code name}, whether or not it was bound. */
    boolean written(String name) {
        return written.contains(name);
    }

    void bind(Node node, String path) {
        List<Node> items = values.sequence(node, path);
        if (items == null) {
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            link(items.get(i), path + "[" + i + "]");
        }
    }

    private void link(Node item, String path) {
        Mapping m = Mapping.read(diagnostics, item, path, KEYS);
        if (m == null) {
            return;
        }
        String[] ends = between(m, path);
        LinkScope scope = ends == null ? null : scope(ends, m.get("between"), path + ".between");
        String name = m.has("name") ? values.name(m.get("name"), path + ".name") : "";
        if (name != null) {
            written.add(name);
        }
        if (name != null && !name.isEmpty() && scope == LinkScope.POD_TO_NODE) {
            diagnostics.error(
                    m.get("name"),
                    path + ".name: a pod has one veth (expected a name only on a second link between two nodes)");
            name = null;
        }
        if (name != null && !name.isEmpty() && !deviceName(name)) {
            diagnostics.error(
                    m.get("name"),
                    path + ".name: '" + name + "' is not a free device name (expected 1 to 15 letters, digits,"
                            + " '_', '.' or '-', and not lo, cni0 or ethN)");
            name = null;
        }
        Long delay =
                m.has("delay") ? values.duration(m.get("delay"), path + ".delay", 0, Durations.ONE_DAY) : (Long) 0L;
        Long jitter =
                m.has("jitter") ? values.duration(m.get("jitter"), path + ".jitter", 0, Durations.ONE_DAY) : (Long) 0L;
        if (delay != null && jitter != null && jitter > delay) {
            diagnostics.error(
                    m.get("jitter"),
                    path + ".jitter: " + Durations.format(jitter) + " is larger than the delay "
                            + Durations.format(delay)
                            + " (expected jitter <= delay, so no packet arrives before it was sent)");
            jitter = null;
        }
        Long bandwidth = m.has("bandwidth")
                ? values.rate(m.get("bandwidth"), path + ".bandwidth", MIN_RATE, Rates.ONE_TBIT)
                : (Long) LinkSpec.UNLIMITED;
        Long queue = (Long) LinkSpec.DEFAULT_QUEUE_BYTES;
        if (m.has("queue")) {
            queue = values.size(m.get("queue"), path + ".queue", MIN_QUEUE, Sizes.ONE_TIB);
            if (queue != null && !m.has("bandwidth")) {
                diagnostics.error(
                        m.keyNode("queue"),
                        path + ".queue: a queue has no effect without a bandwidth"
                                + " (expected bandwidth on the same link, e.g. bandwidth: 1Gbit)");
                queue = null;
            }
        }
        Double loss = m.has("loss") ? values.probability(m.get("loss"), path + ".loss") : (Double) 0.0;
        Double duplicate =
                m.has("duplicate") ? values.probability(m.get("duplicate"), path + ".duplicate") : (Double) 0.0;
        ReorderSpec reorder = m.has("reorder") ? reorder(m.get("reorder"), path + ".reorder") : ReorderSpec.NONE;
        if (ends == null
                || name == null
                || scope == null
                || delay == null
                || jitter == null
                || bandwidth == null
                || queue == null
                || loss == null
                || duplicate == null
                || reorder == null) {
            return;
        }
        for (int i = 0; i < links.size(); i++) {
            LinkSpec other = links.get(i);
            if (!name.isEmpty() && other.name().equals(name)) {
                diagnostics.error(
                        m.get("name"),
                        path + ".name: '" + name + "' is already the name of a link" + Values.firstAt(linkAt.get(i))
                                + " (expected unique link names)");
                return;
            }
            if (name.isEmpty() && other.name().isEmpty() && other.joins(ends[0], ends[1])) {
                diagnostics.error(
                        m.get("between"),
                        path + ".between: " + ends[0] + " and " + ends[1] + " already have a link"
                                + Values.firstAt(linkAt.get(i))
                                + " (expected one entry per pair; give a second wire a name)");
                return;
            }
        }
        links.add(
                new LinkSpec(ends[0], ends[1], scope, delay, jitter, bandwidth, queue, loss, duplicate, reorder, name));
        linkAt.add(m.get("between"));
    }

    /** Whether {@code name} may name a device next to {@code cni0} and {@code eth<k>}. */
    private static boolean deviceName(String name) {
        return name.matches("[A-Za-z0-9_.-]{1,15}") && !name.matches("eth[0-9]+|lo|cni0");
    }

    /** The two names of {@code between}, or {@code null} after reporting. */
    private String[] between(Mapping m, String path) {
        Node node = m.required("between");
        if (node == null) {
            return null;
        }
        List<Node> items = values.sequence(node, path + ".between");
        if (items == null) {
            return null;
        }
        if (items.size() != 2) {
            diagnostics.error(
                    node,
                    path + ".between: " + items.size() + (items.size() == 1 ? " name" : " names")
                            + " given (expected exactly two, e.g. [node-a, node-b])");
            return null;
        }
        String a = values.name(items.get(0), path + ".between[0]");
        String b = values.name(items.get(1), path + ".between[1]");
        if (a == null || b == null) {
            return null;
        }
        for (int i = 0; i < 2; i++) {
            String n = i == 0 ? a : b;
            if (!topology.isNode(n) && !topology.isPod(n)) {
                diagnostics.error(
                        items.get(i),
                        path + ".between[" + i + "]: '" + n + "' is neither a node nor a pod"
                                + Suggestions.hint(n, topology.nodeAndPodNames()));
                return null;
            }
        }
        if (a.equals(b)) {
            diagnostics.error(node, path + ".between: a link joins two different ends (found '" + a + "' twice)");
            return null;
        }
        return topology.isPod(b) && topology.isNode(a) ? new String[] {b, a} : new String[] {a, b};
    }

    /** The scope of a pair already ordered pod-first, or {@code null} after reporting. */
    private LinkScope scope(String[] ends, Node at, String path) {
        if (topology.isNode(ends[0]) && topology.isNode(ends[1])) {
            return LinkScope.NODE_TO_NODE;
        }
        if (topology.isPod(ends[0]) && topology.isPod(ends[1])) {
            diagnostics.error(
                    at,
                    path + ": '" + ends[0] + "' and '" + ends[1] + "' are both pods (expected two nodes,"
                            + " or a pod and its own node: pods reach each other through their nodes)");
            return null;
        }
        PodSpec pod = topology.boundPod(ends[0]);
        if (pod == null) {
            return null;
        }
        if (!pod.node().equals(ends[1])) {
            diagnostics.error(
                    at,
                    path + ": pod '" + pod.name() + "' runs on node '" + pod.node() + "', not '" + ends[1]
                            + "' (expected a pod and its own node: the link is the pod's veth)");
            return null;
        }
        return LinkScope.POD_TO_NODE;
    }

    private ReorderSpec reorder(Node node, String path) {
        Mapping m = Mapping.read(diagnostics, node, path, REORDER_KEYS);
        if (m == null) {
            return null;
        }
        Node p = m.required("probability");
        Double probability = p == null ? null : values.probability(p, path + ".probability");
        Node h = m.required("holdFor");
        Long holdFor = h == null ? null : values.duration(h, path + ".holdFor", 1, Durations.ONE_DAY);
        if (probability == null || holdFor == null) {
            return null;
        }
        return new ReorderSpec(probability, holdFor);
    }
}
