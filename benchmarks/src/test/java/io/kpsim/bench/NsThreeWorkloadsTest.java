package io.kpsim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.cluster.DownloadClientSpec;
import io.kpsim.cluster.FileServerSpec;
import io.kpsim.cluster.WorkloadSpec;
import io.kpsim.scenario.LinkScope;
import io.kpsim.scenario.LinkSpec;
import io.kpsim.scenario.Scenario;
import io.kpsim.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps {@code benchmarks/compare-ns3.sh}'s two halves of each workload in step: the kpsim scenario
 * it runs must load, and its download (count, parallel loops, file size), its duration and its
 * links must be what the ns-3 program is told and builds (benchmarks/ns3/src/blog-topology.h:
 * node-a to node-b at 500 us and 1 Gbit/s with kpsim's default 1,500,000-byte queue, veths at
 * kpsim's default). The script itself is never run here.
 */
class NsThreeWorkloadsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern WORKLOAD = Pattern.compile("^\\s*\"([a-z0-9-]+)\\|([^|]+)\\|([^\"]*)\"\\s*$");
    private static final Pattern ARGUMENT = Pattern.compile("--([A-Za-z]+)=(\\S+)");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(s|ms|us)");

    /** One line of the script's workload table. */
    private record Workload(String name, String scenario, Map<String, String> ns3Arguments) {}

    @Test
    void theScriptListsTheFiveWorkloadsOfIssue17() throws IOException {
        List<String> names = new ArrayList<>();
        for (Workload w : workloads()) {
            names.add(w.name());
        }
        assertEquals(List.of("blog", "100-downloads", "1000-downloads", "10000-requests", "tiny"), names);
    }

    @TestFactory
    List<DynamicTest> eachScenarioMatchesItsNs3Arguments() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Workload w : workloads()) {
            tests.add(DynamicTest.dynamicTest(w.name(), () -> check(w)));
        }
        return tests;
    }

    private static void check(Workload w) throws Exception {
        Scenario scenario = ScenarioLoader.load(ROOT.resolve(w.scenario()), List.of());
        Map<String, String> args = w.ns3Arguments();
        DownloadClientSpec download = only(scenario.spec().workloads(), DownloadClientSpec.class, w);
        FileServerSpec server = only(scenario.spec().workloads(), FileServerSpec.class, w);
        assertEquals(Integer.parseInt(args.get("downloads")), download.downloads(), w.name() + ": downloads");
        assertEquals(
                Integer.parseInt(args.getOrDefault("parallel", "1")), download.parallel(), w.name() + ": parallel");
        assertEquals(Long.parseLong(args.get("fileSize")), download.fileBytes(), w.name() + ": file size");
        assertEquals(download.fileBytes(), server.fileBytes(), w.name() + ": the server's file size");
        assertEquals(0, download.startNanos(), w.name() + ": ns-3's client starts at 0");
        assertEquals(nanos(args.get("duration")), scenario.spec().durationNanos(), w.name() + ": duration");

        List<LinkSpec> links = scenario.spec().links();
        assertEquals(1, links.size(), w.name() + ": one link entry, node-a to node-b");
        LinkSpec wire = links.get(0);
        assertEquals(LinkScope.NODE_TO_NODE, wire.scope(), w.name());
        assertEquals(500_000, wire.delayNanos(), w.name() + ": wire delay");
        assertEquals(1_000_000_000L, wire.bandwidthBitsPerSecond(), w.name() + ": wire bandwidth");
        assertEquals(LinkSpec.DEFAULT_QUEUE_BYTES, wire.queueBytes(), w.name() + ": wire queue");
        assertEquals(0, wire.jitterNanos(), w.name() + ": jitter");
        assertEquals(0.0, wire.loss(), w.name() + ": loss");
        assertEquals(0.0, wire.duplicate(), w.name() + ": duplicate");
    }

    private static <T extends WorkloadSpec> T only(List<WorkloadSpec> all, Class<T> kind, Workload w) {
        List<T> found = new ArrayList<>();
        for (WorkloadSpec spec : all) {
            if (kind.isInstance(spec)) {
                found.add(kind.cast(spec));
            }
        }
        assertEquals(1, found.size(), w.name() + ": expected one " + kind.getSimpleName());
        return found.get(0);
    }

    private static long nanos(String text) {
        Matcher m = DURATION.matcher(text);
        assertTrue(m.matches(), "ns-3 duration " + text + " is not a whole number of s, ms or us");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> n * 1_000_000_000L;
            case "ms" -> n * 1_000_000L;
            default -> n * 1_000L;
        };
    }

    /** The {@code workloads=( ... )} table of compare-ns3.sh, backslash-newlines joined. */
    private static List<Workload> workloads() throws IOException {
        String script =
                Files.readString(ROOT.resolve("benchmarks/compare-ns3.sh")).replace("\\\n", "");
        int start = script.indexOf("\nworkloads=(");
        int end = script.indexOf("\n)", start);
        assertTrue(start >= 0 && end > start, "no workloads=( ... ) table in compare-ns3.sh");
        List<Workload> list = new ArrayList<>();
        for (String line : script.substring(start, end).split("\n")) {
            Matcher m = WORKLOAD.matcher(line);
            if (m.matches()) {
                Map<String, String> args = new HashMap<>();
                Matcher a = ARGUMENT.matcher(m.group(3));
                while (a.find()) {
                    args.put(a.group(1), a.group(2));
                }
                list.add(new Workload(m.group(1), m.group(2), args));
            }
        }
        assertFalse(list.isEmpty(), "the workloads table of compare-ns3.sh holds no workload");
        return list;
    }
}
