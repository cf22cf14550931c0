package io.kpsim.bench;

import io.kpsim.cluster.Cluster;
import io.kpsim.cluster.ClusterResults;
import io.kpsim.cluster.Node;
import io.kpsim.cluster.Pod;
import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.TableMemory;
import io.kpsim.report.RunObserver;
import io.kpsim.scenario.Scenario;
import io.kpsim.scenario.ScenarioBuilder;
import io.kpsim.scenario.ScenarioException;
import io.kpsim.scenario.ScenarioLoader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The heap a scenario's model holds per open connection, measured (issue 17's scale target: at most
 * 1 KiB per connection, both TCP endpoints and both nodes' conntrack entries included). It builds
 * the scenario's cluster, runs it to its end with the cluster still reachable, and compares the
 * heap after a full collection at three points: before the build, after it, and after the run.
 * The run's share over the connections it holds open is the figure of record; the conntrack
 * tables' share is exact ({@link Conntrack#heapBytes()}), the rest (TCP sockets, the workloads'
 * and the ledger's bookkeeping, the narration's records with {@code --narrated}) is the
 * difference.
 *
 * <p>Run it with the heap the target names and one collector thread, so that the measurement is
 * the model's and not the collector's slack:
 *
 * <pre>
 * mvn -B -q -DskipTests package
 * java -Xmx2g -XX:+UseSerialGC -cp benchmarks/target/benchmarks.jar io.kpsim.bench.ScaleMemory \
 *      benchmarks/scenarios/scale-100k.yaml [--narrated]
 * </pre>
 */
public final class ScaleMemory {

    /**
     * What one measurement found.
     *
     * @param scenario the scenario's name
     * @param narrated whether the run carried the story's observer, as {@code kpsim run} without
     *     {@code --quiet} does
     * @param results the run's counters
     * @param openSockets TCP sockets open at the end, on every pod
     * @param buildBytes heap the built cluster took before it ran
     * @param runBytes heap the run added, the cluster still alive
     * @param reservedBytes of the build's heap, the room the conntrack tables reserved for the run's
     *     entries ({@code Conntrack.reserve}): their arrays after the build less an empty table's
     * @param conntrackBytes the conntrack tables' arrays at the end, every node
     * @param conntrackEntries entries in the conntrack tables at the end, every node
     * @param conntrackCounters each node's {@code conntrack -S} line at the end, by node name
     * @param maxHeapBytes the JVM's heap limit
     */
    public record Result(
            String scenario,
            boolean narrated,
            ClusterResults results,
            long openSockets,
            long buildBytes,
            long runBytes,
            long reservedBytes,
            long conntrackBytes,
            long conntrackEntries,
            Map<String, String> conntrackCounters,
            long maxHeapBytes) {

        /** Connections held open at the end: handshakes completed (no scale scenario closes one). */
        public long connections() {
            return results.connectionsEstablished();
        }

        /** The figure of record: the build and the run over the connections held. */
        public double bytesPerConnection() {
            return (double) (buildBytes + runBytes) / Math.max(1, connections());
        }

        /**
         * The run's share over the connections held: the fixed cost of the build left out, the room the
         * build reserved for the run's conntrack entries counted in, as if the arrays had grown to it.
         */
        public double runBytesPerConnection() {
            return (double) (runBytes + reservedBytes) / Math.max(1, connections());
        }

        /** Both nodes' conntrack arrays over the connections held. */
        public double conntrackBytesPerConnection() {
            return (double) conntrackBytes / Math.max(1, connections());
        }
    }

    private ScaleMemory() {}

    /** Heap in use after a full collection (the least of three, as a collection may leave some behind). */
    static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(
                    used,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Loads, builds and runs {@code scenario} to its end, measuring the heap as the class says. */
    public static Result measure(Scenario scenario, boolean narrated) {
        long before = heapAfterGc();
        Cluster cluster = ScenarioBuilder.build(scenario.spec());
        if (narrated) {
            cluster.addTraceListener(new RunObserver());
        }
        long built = heapAfterGc();
        long reserved = 0;
        for (Node node : cluster.nodes().values()) {
            Conntrack ct = node.conntrack();
            reserved += ct.heapBytes() - TableMemory.bytesAtPeak(0, ct.sysctls().buckets());
        }
        ClusterResults results = cluster.run(scenario.spec().durationNanos());
        long after = heapAfterGc();
        long sockets = 0;
        for (Pod pod : cluster.pods().values()) {
            sockets += pod.openConnections().size();
        }
        long ctBytes = 0;
        long ctEntries = 0;
        Map<String, String> counters = new TreeMap<>();
        for (Map.Entry<String, Node> node : cluster.nodes().entrySet()) {
            Conntrack ct = node.getValue().conntrack();
            ctBytes += ct.heapBytes();
            ctEntries += ct.count();
            counters.put(node.getKey(), ct.stats().line(ct.kernel()));
        }
        return new Result(
                scenario.metadata().name(),
                narrated,
                results,
                sockets,
                built - before,
                after - built,
                reserved,
                ctBytes,
                ctEntries,
                counters,
                Runtime.getRuntime().maxMemory());
    }

    /** The lines {@link #main} prints for one result: the counts, the heap, and each node's counters. */
    public static List<String> describe(Result r) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                Locale.ROOT,
                "%s%s: %,d connections held (%,d opened, %,d resets), %,d sockets open, %,d conntrack entries",
                r.scenario(),
                r.narrated() ? " (narrated)" : "",
                r.connections(),
                r.results().connectionsOpened(),
                r.results().resets(),
                r.openSockets(),
                r.conntrackEntries()));
        lines.add(String.format(
                Locale.ROOT,
                "heap: build %.1f MiB (%.1f of it conntrack room reserved for the run), run %.1f MiB, limit %,d MiB",
                r.buildBytes() / 1048576.0,
                r.reservedBytes() / 1048576.0,
                r.runBytes() / 1048576.0,
                r.maxHeapBytes() >> 20));
        lines.add(String.format(
                Locale.ROOT,
                "bytes per connection: %.0f (the run and its reserved room %.0f; conntrack arrays, both nodes, %.0f; the rest %.0f)",
                r.bytesPerConnection(),
                r.runBytesPerConnection(),
                r.conntrackBytesPerConnection(),
                r.bytesPerConnection() - r.conntrackBytesPerConnection()));
        r.conntrackCounters().forEach((node, line) -> lines.add(node + " conntrack -S: " + line));
        return lines;
    }

    /**
     * {@code ScaleMemory SCENARIO.yaml [--narrated]}: measures and prints what {@link #describe} says.
     *
     * @param args the scenario file, and {@code --narrated} to attach the story's observer
     */
    public static void main(String[] args) throws ScenarioException {
        if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].equals("--narrated"))) {
            System.err.println("usage: ScaleMemory SCENARIO.yaml [--narrated]");
            System.exit(2);
        }
        Scenario scenario = ScenarioLoader.load(Path.of(args[0]), List.of());
        PrintStream out = System.out;
        describe(measure(scenario, args.length == 2)).forEach(out::println);
    }
}
