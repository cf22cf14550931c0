package io.kpsim.scenario;

import io.kpsim.cluster.InjectionKind;
import io.kpsim.cluster.InjectionSpec;
import io.kpsim.cluster.WorkloadKind;
import io.kpsim.engine.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Binds what happens to a run and what it must show: {@code spec.injections} (forged segments at
 * chosen times) and {@code spec.expect} (metric conditions such as {@code resets: ">= 1"}). An
 * injection forges a segment on a connection between its pod and the first client workload that
 * connects to a service the pod serves.
 */
final class RunBinder {

    static final List<String> INJECTION_KEYS = List.of("at", "pod", "connection", "kind", "offset");
    static final List<String> INJECTION_KINDS = injectionKinds();
    static final List<String> METRICS = metrics();

    private static final Pattern CONDITION = Pattern.compile("\\s*(==|!=|>=|<=|>|<)?\\s*(\\d[\\d_]*)\\s*");
    private static final String EXPECTED_CONDITION =
            "expected an integer, or ==, !=, >=, <=, > or < followed by an" + " integer, e.g. \">= 1\"";

    private final Diagnostics diagnostics;
    private final Values values;
    private final TopologyBinder topology;
    private final WorkloadBinder workloads;
    private final Long durationNanos;
    private final List<InjectionSpec> injections = new ArrayList<>();
    private final List<Expectation> expectations = new ArrayList<>();

    RunBinder(
            Diagnostics diagnostics,
            Values values,
            TopologyBinder topology,
            WorkloadBinder workloads,
            Long durationNanos) {
        this.diagnostics = diagnostics;
        this.values = values;
        this.topology = topology;
        this.workloads = workloads;
        this.durationNanos = durationNanos;
    }

    // Plain loops, not streams, for what every scenario's binding initialises: a stream pipeline's
    // lambdas and classes are linked at their first use (src/docs/benchmarks.md, "Start-up", session 9).
    private static List<String> injectionKinds() {
        List<String> names = new ArrayList<>();
        for (InjectionKind kind : InjectionKind.values()) {
            names.add(kind.yamlName());
        }
        return List.copyOf(names);
    }

    private static List<String> metrics() {
        List<String> names = new ArrayList<>();
        for (Metric metric : Metric.values()) {
            names.add(metric.yamlName());
        }
        return List.copyOf(names);
    }

    List<InjectionSpec> injections() {
        return injections;
    }

    List<Expectation> expectations() {
        return expectations;
    }

    void bindInjections(Node node, String path) {
        List<Node> items = values.sequence(node, path);
        if (items == null) {
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            injection(items.get(i), path + "[" + i + "]");
        }
    }

    private void injection(Node item, String path) {
        Mapping m = Mapping.read(diagnostics, item, path, INJECTION_KEYS);
        if (m == null) {
            return;
        }
        Node atNode = m.required("at");
        Long at = atNode == null ? null : values.duration(atNode, path + ".at", 0, Durations.ONE_DAY);
        if (at != null && durationNanos != null && at >= durationNanos) {
            diagnostics.error(
                    atNode,
                    path + ".at: " + Durations.format(at) + " is not before the end of the scenario at "
                            + Durations.format(durationNanos) + " (expected at < spec.duration)");
            at = null;
        }
        Node podNode = m.required("pod");
        String pod = podNode == null ? null : values.name(podNode, path + ".pod");
        if (pod != null && topology.pod(pod, podNode, path + ".pod") == null) {
            pod = null;
        } else if (pod != null && topology.boundPod(pod) != null && !workloads.runsWorkload(pod)) {
            diagnostics.error(
                    podNode,
                    path + ".pod: pod '" + pod + "' runs no workload, so it has no connection to"
                            + " forge a segment on (expected the pod of a server or client workload)");
            pod = null;
        }
        List<String> clients = pod == null || topology.boundPod(pod) == null ? List.of() : workloads.clientsOf(pod);
        if (clients.isEmpty() && !workloads.complete()) {
            pod = null; // a workload is already reported broken; its clients are unknown
        } else if (pod != null && topology.boundPod(pod) != null && clients.isEmpty()) {
            diagnostics.error(
                    podNode,
                    path + ".pod: no client workload connects to a service that pod '" + pod + "' serves, so it has"
                            + " no connection to forge a segment on (expected an endpoint of a service that a "
                            + WorkloadKind.DOWNLOAD.yamlName() + " or " + WorkloadKind.CONNECT_LOOP.yamlName()
                            + " uses)");
            pod = null;
        }
        Long connection = m.has("connection")
                ? values.integer(m.get("connection"), path + ".connection", 0, WorkloadBinder.MAX_COUNT - 1)
                : (Long) 0L;
        Node kindNode = m.required("kind");
        String kindText = kindNode == null ? null : values.choice(kindNode, path + ".kind", INJECTION_KINDS);
        InjectionKind kind = kindText == null ? null : InjectionKind.values()[INJECTION_KINDS.indexOf(kindText)];
        Long offset = m.has("offset")
                ? values.size(m.get("offset"), path + ".offset", 1, InjectionSpec.MAX_OFFSET)
                : (Long) InjectionSpec.AUTO_OFFSET;
        if (at != null && pod != null && connection != null && kind != null && offset != null) {
            injections.add(new InjectionSpec(at, pod, clients.get(0), connection.intValue(), kind, offset));
        }
    }

    void bindExpectations(Node node, String path) {
        Mapping m = Mapping.read(diagnostics, node, path, METRICS);
        if (m == null) {
            return;
        }
        for (Map.Entry<String, Node> entry : m.entries()) {
            Metric metric = Metric.values()[METRICS.indexOf(entry.getKey())];
            String p = m.path(entry.getKey());
            Node value = entry.getValue();
            List<Node> conditions = value instanceof ScalarNode ? List.of(value) : values.sequence(value, p);
            if (conditions == null) {
                continue;
            }
            if (conditions.isEmpty()) {
                diagnostics.error(value, p + ": no condition given (" + EXPECTED_CONDITION + ")");
            }
            for (Node condition : conditions) {
                Expectation e = condition(metric, condition, p);
                if (e != null) {
                    expectations.add(e);
                }
            }
        }
    }

    private Expectation condition(Metric metric, Node node, String path) {
        if (node instanceof ScalarNode
                && !Values.isNull(node)
                && node.getTag().getValue().startsWith("!")
                && !node.getTag().startsWith(Tag.PREFIX)) {
            String written = node.getTag().getValue() + " " + ((ScalarNode) node).getValue();
            diagnostics.error(
                    node,
                    path + ": '" + written + "' must be quoted, as YAML reads '!' as a tag" + " (expected e.g. \""
                            + written + "\")");
            return null;
        }
        String text = values.text(node, path);
        if (text == null) {
            return null;
        }
        Matcher matcher = CONDITION.matcher(text);
        if (!matcher.matches()) {
            diagnostics.error(node, path + ": '" + text + "' is not a condition (" + EXPECTED_CONDITION + ")");
            return null;
        }
        String op = matcher.group(1) == null ? "==" : matcher.group(1);
        long value;
        try {
            value = Long.parseLong(matcher.group(2).replace("_", ""));
        } catch (NumberFormatException e) {
            diagnostics.error(
                    node, path + ": '" + text + "' is out of range (expected a value up to " + Long.MAX_VALUE + ")");
            return null;
        }
        for (Comparison c : Comparison.values()) {
            if (c.symbol().equals(op)) {
                return new Expectation(metric, c, value);
            }
        }
        throw new IllegalStateException("the condition pattern and Comparison disagree on '" + op + "'");
    }
}
