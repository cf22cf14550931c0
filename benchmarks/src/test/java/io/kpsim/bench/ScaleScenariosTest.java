package io.kpsim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.cluster.Cluster;
import io.kpsim.cluster.ConnectLoopSpec;
import io.kpsim.cluster.RunEstimate;
import io.kpsim.cluster.WorkloadSpec;
import io.kpsim.conntrack.ConntrackStats;
import io.kpsim.report.RunMetrics;
import io.kpsim.scenario.Expectation;
import io.kpsim.scenario.Metric;
import io.kpsim.scenario.Scenario;
import io.kpsim.scenario.ScenarioBuilder;
import io.kpsim.scenario.ScenarioLoader;
import io.kpsim.scenario.ScenarioRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scale scenarios of issue 17 ({@code benchmarks/scenarios/scale-100k.yaml},
 * {@code table-full-131072.yaml}, {@code table-full-262144.yaml}): each loads, opens the number of
 * connections its name says, is estimated to fit a 2 GiB heap, and behaves as its expectations say
 * when run at a fiftieth of its size, which CI can afford (the full runs take minutes; their command
 * is in src/docs/benchmarks.md). The small runs also hold the model to a memory budget per
 * connection, measured as {@link ScaleMemory} measures the full ones.
 */
class ScaleScenariosTest {

    private static final Path SCENARIOS =
            Path.of("..").toAbsolutePath().normalize().resolve("benchmarks/scenarios");
    private static final long TWO_GIB = 2L << 30;
    /**
     * The most heap the run may add per held connection in the fiftieth-size runs: both sockets, both
     * nodes' conntrack entries, the bookkeeping (the build's fixed cost, mostly 262,144 bucket heads
     * per node, is left out: at 2,000 connections it would be 1,100 B each). Measured 1,763 B at
     * 2,000 connections and 2,064 B at 2,621 (whose conntrack arrays have grown to 4,096 entries)
     * in session 6 (2,547 and 2,869 before), 1,444 and 1,750 in session 8, and 1,316 and 1,619 in
     * session 9 (the sender's window, NewReno and RTO state in its own fields: 128 B less by
     * {@link ConnectionFootprint}'s count, exactly what these runs lost), and 1,236 and 1,537 in
     * session 10 (the sender's 32-bit positions, the receive buffer in the receiver's fields: 80 B
     * less by the count, 80 and 82 B less here), and 1,088 and 1,374 in session 11 (no counter
     * arrays or table keys in the sockets, the ledger's record gone: 149 B less by the count; growing
     * the conntrack arrays by an eighth instead of doubling measured less here but left a run's peak
     * RSS 28% higher, and was undone), and 981 and 1,203 in session 12 (8-byte conntrack lookup
     * slots, singly linked chains, the protocol, zone, SYN annotations and UDP's stream_ts in
     * space the entry had unused, the mark array only once a rule sets a mark: 119 B less by the
     * count; 1,088 and 1,374 before), and 947 and 1,017 in session 13 (each table built with room for
     * the entries the run's estimate expects, its lookup table at load 2/3 when that room is full, a
     * paced reader's state out of the receiver; the room reserved at the build counts as the run's
     * here, {@link ScaleMemory.Result#runBytesPerConnection}). Each run has its own budget, about 5%
     * above its measurement, so that a regression of a field or two per socket fails; the
     * 100,000-connection one is below issue 17's 1,024, which the full run now meets as well (see
     * src/docs/benchmarks.md, section 4, session 13).
     */
    private static final double BUDGET_BYTES_SCALE_100K = 990;
    /** As {@link #BUDGET_BYTES_SCALE_100K}, for the table-full run, its tables reserved up to nf_conntrack_max. */
    private static final double BUDGET_BYTES_TABLE_FULL = 1_065;

    /**
     * Holds {@code r} to {@code budget} bytes of run heap per connection and, when it passes, prints
     * what it measured, so that a build's log shows how close to the budget the model is.
     */
    private static void assertWithinBudget(String run, ScaleMemory.Result r, double budget) {
        assertTrue(r.runBytesPerConnection() <= budget, String.join("\n", ScaleMemory.describe(r)));
        System.out.printf(
                "ScaleScenariosTest: %s: %.0f bytes of run heap per connection (budget %.0f)%n",
                run, r.runBytesPerConnection(), budget);
    }

    private static Scenario load(String name) throws Exception {
        return ScenarioLoader.load(SCENARIOS.resolve(name + ".yaml"), List.of());
    }

    /**
     * The scenario's YAML with every connect loop's count and interval scaled to {@code count} a
     * second, and each of {@code edits} (pairs of text and its replacement) applied, each exactly once.
     */
    private static Scenario shrunk(String name, int count, String... edits) throws Exception {
        String small = Files.readString(SCENARIOS.resolve(name + ".yaml"))
                .replaceAll("count: \\d+", "count: " + count)
                .replaceAll("interval: \\d+ns", "interval: " + 1_000_000_000 / count + "ns");
        for (int i = 0; i < edits.length; i += 2) {
            assertTrue(small.contains(edits[i]), name + " has no " + edits[i]);
            small = small.replace(edits[i], edits[i + 1]);
        }
        return ScenarioLoader.parse(small, name + "-small.yaml", List.of());
    }

    /** table-full-131072 at a fiftieth: 2,800 connections into max(256 x 1, 2,621) = 2,621 entries. */
    private static Scenario small131072() throws Exception {
        return shrunk(
                "table-full-131072",
                280,
                "conntrack: {}",
                "conntrack: {maxPerCore: 256, min: 2621}",
                "connections: \"<= 131072\"",
                "connections: \"<= 2621\"",
                "retransmissions: \">= 8928\"",
                "retransmissions: \">= 179\"");
    }

    private static long opened(Scenario s) {
        long n = 0;
        for (WorkloadSpec w : s.spec().workloads()) {
            if (w instanceof ConnectLoopSpec c) {
                n += c.count();
            }
        }
        return n;
    }

    private static long value(Metric metric, RunMetrics m) {
        return switch (metric) {
            case CONNECTIONS -> m.connections();
            case COMPLETED -> m.completed();
            case RESETS -> m.resets();
            case INVALID -> m.invalid();
            case INVALID_DROPPED -> m.invalidDropped();
            case IGNORED -> m.ignored();
            case PACKETS -> m.packets();
            case INJECTED -> m.injected();
            case INJECTIONS_MISSED -> m.injectionsMissed();
            case RETRANSMISSIONS -> m.retransmissions();
        };
    }

    private static void assertExpectationsHold(Scenario s, RunMetrics m) {
        for (Expectation e : s.spec().expectations()) {
            assertTrue(e.test(value(e.metric(), m)), s.metadata().name() + ": " + e + " but was " + m);
        }
    }

    @Test
    void theFullScenariosOpenWhatTheirNamesSayAndFitTwoGibibytes() throws Exception {
        long[][] expected = {{100_000, 262_144}, {140_000, 131_072}, {280_000, 262_144}};
        String[] names = {"scale-100k", "table-full-131072", "table-full-262144"};
        for (int i = 0; i < names.length; i++) {
            Scenario s = load(names[i]);
            assertEquals(expected[i][0], opened(s), names[i] + ": connections opened");
            assertEquals(expected[i][1], s.spec().conntrackSysctls().max(), names[i] + ": nf_conntrack_max");
            RunEstimate e = ScenarioRun.estimate(s, false);
            assertTrue(e.peakMemoryBytes() < TWO_GIB, names[i] + ": " + e.describe());
        }
    }

    @Test
    void aFiftiethOfTheHundredThousandHoldsEveryConnectionWithinTheBudget() throws Exception {
        Scenario s = shrunk("scale-100k", 200, "connections: 100000", "connections: 2000");
        ScaleMemory.Result r = ScaleMemory.measure(s, false);
        assertEquals(2_000, r.connections(), String.join("\n", ScaleMemory.describe(r)));
        assertEquals(4_000, r.openSockets());
        assertEquals(4_000, r.conntrackEntries());
        assertExpectationsHold(s, RunMetrics.of(r.results()));
        assertWithinBudget("scale-100k at 2,000 connections", r, BUDGET_BYTES_SCALE_100K);
    }

    @Test
    void aFiftiethOfTheTableFullRunFillsTheTableAndDropsTheRest() throws Exception {
        Scenario s = small131072();
        assertEquals(2_621, s.spec().conntrackSysctls().max());
        ScaleMemory.Result r = ScaleMemory.measure(s, false);
        String report = String.join("\n", ScaleMemory.describe(r));
        assertTrue(r.connections() <= 2_621 && r.connections() >= 2_600, report);
        assertExpectationsHold(s, RunMetrics.of(r.results()));
        assertTrue(r.results().retransmissions() >= 2_800 - 2_621, report);
        assertWithinBudget("table-full-131072 at 2,621", r, BUDGET_BYTES_TABLE_FULL);
    }

    @Test
    void theFullTableCountsItsDropsAsTheKernelDoes() throws Exception {
        Scenario s = small131072();
        Cluster cluster = ScenarioBuilder.build(s.spec());
        cluster.run(s.spec().durationNanos());
        ConntrackStats a = cluster.node("node-a").conntrack().stats();
        ConntrackStats b = cluster.node("node-b").conntrack().stats();
        long count = cluster.node("node-a").conntrack().count();
        assertTrue(count <= 2_621, "node-a holds " + count);
        // Every SYN that found the table full was dropped at node-a (__nf_conntrack_alloc() fails,
        // nf_conntrack_in() counts drop); none got through to fill node-b's.
        assertTrue(a.drop() >= 2 * (2_800 - 2_621), a.toString()); // each SYN and its retransmission
        assertEquals(0, b.drop(), b.toString());
        assertEquals(0, a.insertFailed(), a.toString());
        assertEquals(0, a.invalid(), a.toString());
        // and the run does not call them INVALID either: a full table's drop gives no ctstate
        assertEquals(0, cluster.results().invalidTotal());
        assertEquals(cluster.node("node-b").conntrack().count(), count);
    }
}
