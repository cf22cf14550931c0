package io.kpsim.bench;

import io.kpsim.cluster.Cluster;
import io.kpsim.cluster.ClusterResults;
import io.kpsim.cluster.Node;
import io.kpsim.scenario.Scenario;
import io.kpsim.scenario.ScenarioBuilder;
import io.kpsim.scenario.ScenarioException;
import io.kpsim.scenario.ScenarioLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.util.Multiset;

/**
 * Issue 17's memory per connection counted object by object, not read from the collector: the
 * model's object graph (JOL's {@link GraphLayout}, every object reachable from the cluster) after a
 * run that holds {@code n} connections open, and again after one that holds {@code 2n}; the
 * difference over {@code n} is what one more connection costs, the build's fixed share cancelled.
 * Both sizes build their conntrack tables with room for the entries they hold
 * ({@code RunEstimate.conntrackReservations}), as every scenario's run does, so the figure prices a
 * table at its reservation's peak; {@link ScaleMemory} measures the heap of whole runs.
 * The count is deterministic (same scenario, same JVM layout, same bytes), which makes it a
 * regression bound a test can hold without timing or collector noise.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.kpsim.bench.ConnectionFootprint \
 *      benchmarks/scenarios/scale-100k.yaml 1000
 * </pre>
 */
public final class ConnectionFootprint {

    /**
     * What one more open connection costs.
     *
     * @param connections the extra connections the larger run held
     * @param bytes the object graph's growth, in bytes
     * @param conntrackBytes the conntrack tables' share of it, both nodes ({@code Conntrack.heapBytes()})
     * @param bytesByClass the growth by class, largest first (arrays by element type)
     * @param countByClass the growth in objects by class, same keys
     */
    public record Result(
            long connections,
            long bytes,
            long conntrackBytes,
            Map<String, Long> bytesByClass,
            Map<String, Long> countByClass) {

        /** Bytes per connection: both sockets, both conntrack entries, the workloads' bookkeeping. */
        public double perConnection() {
            return (double) bytes / connections;
        }

        /** The conntrack entries' share per connection, both nodes. */
        public double conntrackPerConnection() {
            return (double) conntrackBytes / connections;
        }
    }

    private record Graph(long held, long conntrackBytes, GraphLayout layout) {}

    private ConnectionFootprint() {}

    /**
     * The scenario in {@code yaml} with every connect loop opening {@code perLoop} connections over
     * its first second (its count and interval replaced), and its {@code connections:} expectation
     * dropped, so that any size can be measured.
     */
    public static Scenario scaled(Path yaml, int perLoop) throws IOException, ScenarioException {
        String text = Files.readString(yaml)
                .replaceAll("count: \\d+", "count: " + perLoop)
                .replaceAll("interval: \\d+ns", "interval: " + 1_000_000_000 / perLoop + "ns")
                .replaceAll("(?m)^    connections: .*\\n", "");
        return ScenarioLoader.parse(text, yaml.getFileName() + " at " + perLoop + " per loop", List.of());
    }

    private static Graph graphAfterRun(Scenario scenario) {
        Cluster cluster = ScenarioBuilder.build(scenario.spec());
        ClusterResults results = cluster.run(scenario.spec().durationNanos());
        long ct = 0;
        for (Node node : cluster.nodes().values()) {
            ct += node.conntrack().heapBytes();
        }
        return new Graph(results.connectionsEstablished(), ct, GraphLayout.parseInstance(cluster));
    }

    /** Measures {@code small} and {@code large} (which should hold twice as many connections). */
    public static Result marginal(Scenario small, Scenario large) {
        // The model's lambdas (timer actions) are hidden classes, whose field offsets Unsafe will not
        // give; JOL then finds them by its "magic field offset" probe. Read once, when JOL starts.
        if (System.getProperty("jol.magicFieldOffset") == null) {
            System.setProperty("jol.magicFieldOffset", "true");
        }
        Graph a = graphAfterRun(small);
        Graph b = graphAfterRun(large);
        long connections = b.held() - a.held();
        if (connections <= 0) {
            throw new IllegalArgumentException(
                    "the larger run held " + b.held() + " connections, the smaller " + a.held());
        }
        Multiset<Class<?>> sizesA = a.layout().getClassSizes();
        Multiset<Class<?>> sizesB = b.layout().getClassSizes();
        Multiset<Class<?>> countsA = a.layout().getClassCounts();
        Multiset<Class<?>> countsB = b.layout().getClassCounts();
        List<Class<?>> classes = new ArrayList<>(sizesB.keys());
        for (Class<?> c : sizesA.keys()) {
            if (!classes.contains(c)) {
                classes.add(c);
            }
        }
        classes.sort(Comparator.comparingLong((Class<?> c) -> sizesB.count(c) - sizesA.count(c))
                .reversed()
                .thenComparing(Class::getName));
        Map<String, Long> bytes = new LinkedHashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Class<?> c : classes) {
            long grew = sizesB.count(c) - sizesA.count(c);
            if (grew != 0) {
                bytes.put(c.getTypeName(), grew);
                counts.put(c.getTypeName(), countsB.count(c) - countsA.count(c));
            }
        }
        return new Result(
                connections,
                b.layout().totalSize() - a.layout().totalSize(),
                b.conntrackBytes() - a.conntrackBytes(),
                bytes,
                counts);
    }

    /** The lines {@link #main} prints: the total, the conntrack share, one line per class. */
    public static List<String> describe(Result r) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                Locale.ROOT,
                "%,d more connections: %.1f bytes each (conntrack arrays, both nodes, %.1f; the rest %.1f)",
                r.connections(),
                r.perConnection(),
                r.conntrackPerConnection(),
                r.perConnection() - r.conntrackPerConnection()));
        lines.add("bytes per connection  objects per connection  class");
        r.bytesByClass()
                .forEach((name, grew) -> lines.add(String.format(
                        Locale.ROOT,
                        "%21.1f  %23.2f  %s",
                        (double) grew / r.connections(),
                        (double) r.countByClass().get(name) / r.connections(),
                        name)));
        return lines;
    }

    /**
     * {@code ConnectionFootprint SCENARIO.yaml N}: the scenario's connect loops at {@code N} and
     * {@code 2N} connections each, measured as the class says.
     *
     * @param args the scenario file and the smaller per-loop count
     */
    public static void main(String[] args) throws IOException, ScenarioException {
        if (args.length != 2 || !args[1].matches("[1-9][0-9]{0,6}")) {
            System.err.println("usage: ConnectionFootprint SCENARIO.yaml CONNECTIONS-PER-LOOP (1 to 9999999)");
            System.exit(2);
        }
        Path yaml = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        PrintStream out = System.out;
        describe(marginal(scaled(yaml, n), scaled(yaml, 2 * n))).forEach(out::println);
    }
}
