package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.cluster.RunEstimate;
import io.kpsim.scenario.Scenario;
import io.kpsim.scenario.ScenarioLoader;
import io.kpsim.scenario.ScenarioRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate} prints every scenario's estimated size; {@code run} refuses a run whose estimated
 * peak memory exceeds the Java heap, naming the estimate and both ways out, unless told
 * {@code --ignore-memory-estimate}.
 */
class MemoryEstimateTest {

    private static final Pattern ESTIMATE = Pattern.compile(
            "scenarios/[a-z0-9.-]+\\.yaml: ok \\([a-z0-9.-]+\\); estimated [0-9,.kMG]+ packets?, [0-9.]+ [KMGT]?i?B of"
                    + " data, [0-9,.kM]+ connections? \\([0-9,.kM]+ at once\\), peak memory [0-9.]+ [KMGT]i?B");

    /** Ten thousand downloads at a time of a million 4 MiB files: tens of GiB of windows in flight. */
    static final String HUGE = """
            apiVersion: kpsim/v1
            kind: Scenario
            metadata: {name: huge}
            spec:
              duration: 60s
              nodes:
                - {name: node-a, ip: 192.168.0.10, podCIDR: 10.244.1.0/24}
                - {name: node-b, ip: 192.168.0.11, podCIDR: 10.244.2.0/24}
              pods:
                - {name: client, node: node-a, ip: 10.244.1.2}
                - {name: server, node: node-b, ip: 10.244.2.2}
              services:
                - {name: files, clusterIP: 10.96.0.10, ports: [{port: 80, targetPort: 8080}], endpoints: [server]}
              workloads:
                - {kind: fileServer, pod: server, port: 8080}
                - {kind: download, pod: client, service: "files:80", count: 1000000, parallel: 10000}
              expect: {resets: 0}
            """;

    @Test
    void validateEstimatesEveryLibraryScenario() throws IOException {
        List<String> args = new ArrayList<>(List.of("validate"));
        try (Stream<Path> files = Files.list(GoldenOutputTest.root().resolve("scenarios"))) {
            files.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(p -> args.add(p.toString()));
        }
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        List<String> lines =
                r.out().replace(GoldenOutputTest.root() + "/", "").lines().toList();
        assertEquals(args.size() - 1, lines.size(), r.out());
        for (String line : lines) {
            assertTrue(ESTIMATE.matcher(line).matches(), line);
        }
    }

    @Test
    void runRefusesWhatWouldNotFitTheHeapAndSaysHowToGoOn(@TempDir Path dir) throws IOException {
        Path huge = dir.resolve("huge.yaml");
        Files.writeString(huge, HUGE);
        Cli r = Cli.run("run", huge.toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r.out());
        assertEquals("", r.out());
        assertEquals(1, r.errLines().length, r.err());
        String line = r.errLines()[0];
        assertTrue(line.startsWith("kpsim: " + huge + ": estimated "), line);
        assertTrue(line.contains(", more than the Java heap of "), line);
        assertTrue(line.contains("run it anyway with --ignore-memory-estimate"), line);
        assertTrue(line.matches(".*KPSIM_JAVA_OPTS=-Xmx[0-9]+g .*"), line);

        Cli v = Cli.run("validate", huge.toString());
        assertEquals(ExitCode.OK, v.exitCode(), v.err());
        assertTrue(v.out().contains(": kpsim run refuses it without --ignore-memory-estimate)"), v.out());
    }

    @Test
    void validateDoesNotBuildAClusterLargerThanTheHeap(@TempDir Path dir) throws Exception {
        long heap = Runtime.getRuntime().maxMemory();
        int nodes = (int) Math.min(14_000, heap / (12L << 20));
        // A node's bucket heads are allocated when it is built (16 MiB at 4M buckets, as the kernel's
        // nf_ct_alloc_hashtable()); its entries only as they come.
        StringBuilder yaml = new StringBuilder(HUGE.replace("count: 1000000, parallel: 10000", "count: 1")
                .replace(
                        "  duration: 60s\n",
                        "  duration: 60s\n  sysctls:\n    net.netfilter.nf_conntrack_buckets: 4194304\n"));
        int at = yaml.indexOf("  pods:");
        StringBuilder more = new StringBuilder();
        for (int n = 0; n < nodes; n++) {
            more.append("    - {name: n")
                    .append(n)
                    .append(", ip: 172.16.")
                    .append(n / 250)
                    .append('.')
                    .append(n % 250 + 1)
                    .append(", podCIDR: 10.")
                    .append(100 + n / 250)
                    .append('.')
                    .append(n % 250)
                    .append(".0/24}\n");
        }
        yaml.insert(at, more);
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, yaml);
        Cli v = Cli.run("validate", big.toString());
        assertEquals(ExitCode.OK, v.exitCode(), v.err());
        assertTrue(v.out().contains("; the model was not built to check it: that needs "), v.out());
        assertTrue(
                v.out().endsWith(", over three quarters of the Java heap of " + RunEstimate.bytes(heap) + "\n"),
                v.out());
    }

    @Test
    void theRefusalIsTheHeapsAndTheOverrideSkipsIt() throws Exception {
        Scenario s = ScenarioLoader.load(GoldenOutputTest.root().resolve("scenarios/boom-6.18.yaml"), List.of());
        RunEstimate e = ScenarioRun.estimate(s, true);
        MemoryEstimate.check(s, e, e.peakMemoryBytes());
        UserError refused = assertThrows(UserError.class, () -> MemoryEstimate.check(s, e, e.peakMemoryBytes() - 1));
        assertTrue(
                refused.getMessage().startsWith(s.source() + ": " + e.describe() + ", more than"),
                refused.getMessage());
        Cli r = Cli.run(
                "run",
                GoldenOutputTest.root().resolve("scenarios/boom-6.18.yaml").toString(),
                MemoryEstimate.OVERRIDE,
                "--quiet");
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
    }
}
