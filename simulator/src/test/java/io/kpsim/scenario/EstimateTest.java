package io.kpsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.cluster.Cluster;
import io.kpsim.cluster.RunEstimate;
import io.kpsim.engine.Durations;
import io.kpsim.report.RunMetrics;
import io.kpsim.report.RunObserver;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ScenarioRun#estimate} against measured runs: the estimate of peak heap is within a factor
 * of {@value #FACTOR} of the heap the narrated run really held (after GC, sampled through the run),
 * at two sizes of each of the two things that fill memory: connections held open and windows of
 * packets in flight. Connections, packets and data are within the same factor of the run's counters.
 */
class EstimateTest {

    /** How far the estimate may be from the measurement, either way. */
    static final double FACTOR = 2.0;

    /** {@code clients} pods each holding {@code perClient} idle connections open to one file server. */
    private static String connections(int clients, int perClient) {
        StringBuilder yaml = new StringBuilder(head("2s", ""));
        for (int c = 0; c < clients; c++) {
            yaml.append("    - {name: client-")
                    .append(c)
                    .append(", node: node-a, ip: 10.244.1.")
                    .append(10 + c)
                    .append("}\n");
        }
        yaml.append(services());
        long interval = Durations.seconds(1) / perClient;
        for (int c = 0; c < clients; c++) {
            yaml.append("    - {kind: connectLoop, pod: client-")
                    .append(c)
                    .append(", service: \"files:80\", interval: ")
                    .append(interval)
                    .append("ns, count: ")
                    .append(perClient)
                    .append(", startAt: ")
                    .append(c)
                    .append("us}\n");
        }
        return yaml.toString();
    }

    /** {@code parallel} downloads at a time of 1 MiB files, windows of 128 KiB, over a 5 ms link. */
    private static String downloads(int parallel) {
        return head("100ms", "  links:\n    - {between: [node-a, node-b], delay: 5ms}\n")
                + "    - {name: client-0, node: node-a, ip: 10.244.1.10, tcp: {receiveBuffer: 256KiB}}\n"
                + services()
                + "    - {kind: download, pod: client-0, service: \"files:80\", count: " + 4 * parallel
                + ", parallel: " + parallel + "}\n";
    }

    private static String head(String duration, String links) {
        return "apiVersion: kpsim/v1\nkind: Scenario\nmetadata: {name: estimate}\nspec:\n  duration: " + duration
                + "\n  kernel: 6.18\n" + links + "  nodes:\n"
                + "    - {name: node-a, ip: 192.168.0.10, podCIDR: 10.244.1.0/24}\n"
                + "    - {name: node-b, ip: 192.168.0.11, podCIDR: 10.244.2.0/24}\n"
                + "  pods:\n    - {name: server, node: node-b, ip: 10.244.2.2}\n";
    }

    private static String services() {
        return "  services:\n    - {name: files, clusterIP: 10.96.0.10, ports: [{port: 80, targetPort: 8080}],"
                + " endpoints: [server]}\n  workloads:\n    - {kind: fileServer, pod: server, port: 8080, fileSize: 1MiB}\n";
    }

    /** What a narrated run of the scenario held at its peak, and its counters. */
    private record Measured(long peakHeapBytes, RunMetrics metrics) {}

    private static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(
                    used,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static Measured measure(Scenario s, int samples) {
        long before = heapAfterGc();
        Cluster cluster = ScenarioBuilder.build(s.spec());
        cluster.addTraceListener(new RunObserver());
        long peak = heapAfterGc() - before;
        long slice = s.spec().durationNanos() / samples;
        for (int i = 0; i < samples; i++) {
            cluster.run(slice);
            peak = Math.max(peak, heapAfterGc() - before);
        }
        return new Measured(peak, RunMetrics.of(cluster.results()));
    }

    private static void assertWithinFactor(double estimated, double measured, String what) {
        assertTrue(
                estimated <= FACTOR * measured && measured <= FACTOR * estimated,
                what + ": estimated " + (long) estimated + ", measured " + (long) measured);
    }

    private static void check(String yaml, int samples) throws ScenarioException {
        Scenario s = ScenarioLoader.parse(yaml, "estimate.yaml", List.of());
        RunEstimate e = ScenarioRun.estimate(s, true);
        Measured m = measure(s, samples);
        String report = e.describe() + "; measured peak " + RunEstimate.bytes(m.peakHeapBytes()) + ", " + m.metrics();
        assertWithinFactor(e.peakMemoryBytes() - RunEstimate.JVM_BYTES, m.peakHeapBytes(), "peak heap; " + report);
        assertWithinFactor(e.connections(), m.metrics().connections(), "connections; " + report);
        assertWithinFactor(e.packets(), m.metrics().packets(), "packets; " + report);
    }

    @Test
    void heldConnectionsAtTwoSizes() throws ScenarioException {
        check(connections(10, 500), 2);
        check(connections(10, 2_000), 2);
    }

    @Test
    void windowsInFlightAtTwoSizes() throws ScenarioException {
        check(downloads(50), 10);
        check(downloads(400), 10);
    }

    @Test
    void theQuietRunCostsLessAndTheBuildLessStill() throws ScenarioException {
        Scenario s = ScenarioLoader.parse(downloads(50), "estimate.yaml", List.of());
        RunEstimate narrated = ScenarioRun.estimate(s, true);
        RunEstimate quiet = ScenarioRun.estimate(s, false);
        assertTrue(quiet.peakMemoryBytes() < narrated.peakMemoryBytes(), quiet + " vs " + narrated);
        assertTrue(quiet.buildBytes() < quiet.peakMemoryBytes(), quiet.toString());
        assertEquals(narrated.packets(), quiet.packets());
        assertEquals(narrated.connections(), quiet.connections());
    }
}
