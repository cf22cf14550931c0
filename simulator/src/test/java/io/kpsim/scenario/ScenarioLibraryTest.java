package io.kpsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.report.ExpectationResult;
import io.kpsim.report.RunReport;
import io.kpsim.report.TextReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every file in {@code scenarios/} with its own expectations, and checks that the narration
 * says what each scenario is there to teach.
 */
class ScenarioLibraryTest {

    static Path root() {
        return Path.of(System.getProperty("kpsim.root", "..")).toAbsolutePath().normalize();
    }

    static List<Path> scenarioFiles() throws IOException {
        try (Stream<Path> files = Files.list(root().resolve("scenarios"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
        }
    }

    /** What each scenario's narration must contain beyond its expectations. */
    private static final Map<String, BiConsumer<RunReport, String>> TEACHES = Map.ofEntries(
            Map.entry("asymmetric-drop-invalid", (r, text) -> {
                assertTrue(text.contains("first at node-c"), text);
                assertTrue(text.contains("node-c saw only one direction of the connection"), text);
                assertTrue(text.contains("kubernetes issue 94861"), text);
                assertTrue(text.contains("NO RESET, but 1 of 1 connection did not complete"), text);
            }),
            Map.entry(
                    "asymmetric-no-fix",
                    (r, text) -> assertTrue(
                            text.contains("INVALID at one node (first at node-c")
                                    && text.contains("no rule drops INVALID packets here"),
                            text)),
            Map.entry("asymmetric-be-liberal", (r, text) -> {
                assertTrue(text.contains("kube-proxy iptables 1.29, INVALID drop off"), text);
                assertTrue(text.contains("be_liberal relaxes only the window checks"), text);
            }),
            Map.entry("nodeport-host-path", (r, text) -> {
                assertNotNull(r.story(), text);
                assertEquals("node-b", r.story().clientNode());
                assertEquals("node-b", r.story().clientPod(), "the node's own stack answered");
                assertTrue(text.contains("INVALID drop on"), text);
                assertTrue(text.contains("to node-b itself (10.244.2.1 is local): INPUT, not FORWARD"), text);
                assertTrue(text.contains("KUBE-FORWARD's INVALID drop never saw it"), text);
            }),
            Map.entry("nodeport-host-path-nftables", (r, text) -> {
                assertEquals("node-b", r.story().clientPod(), "the node's own stack answered");
                assertTrue(text.contains("node-b: PREROUTING ip kube-proxy filter-prerouting: policy accept"), text);
                assertTrue(text.contains("node-b: INPUT ip kube-proxy filter-input: policy accept"), text);
                assertTrue(text.contains("INVALID packets 357 (dropped 0)"), text);
            }),
            Map.entry(
                    "nodeport-host-path-be-liberal",
                    (r, text) -> assertTrue(
                            text.contains("be_liberal accepted the forged segment from server (no INVALID)"), text)),
            Map.entry("blog-reset", (r, text) -> {
                assertNotNull(r.story(), text);
                assertEquals("node-a", r.story().clientNode());
                assertTrue(
                        r.story().invalidReason().startsWith("SEQ is over the upper bound"),
                        r.story().invalidReason());
                assertTrue(text.contains("connections 10, completed 9, reset 1"), text);
            }),
            Map.entry(
                    "blog-reset-be-liberal",
                    (r, text) -> assertTrue(
                            text.contains("be_liberal accepted the forged segment from server (no INVALID)"), text)),
            Map.entry(
                    "blog-reset-drop-invalid",
                    (r, text) -> assertTrue(
                            text.contains("KUBE-FORWARD dropped 1 INVALID packet before it reached the client"), text)),
            Map.entry("boom-4.19", (r, text) -> {
                assertNotNull(r.story(), text);
                assertTrue(r.story().invalidReason().startsWith("SEQ is under the lower bound"), text);
                assertTrue(text.contains("kernel 6.1+ (--kernel 6.18): it ignores lower-bound failures"), text);
            }),
            Map.entry("boom-6.18", (r, text) -> {
                assertNull(r.story(), text);
                assertTrue(text.contains("kernel 6.18 ignored the forged segment"), text);
                assertTrue(text.contains("it kept its conntrack and was reverse-NATed"), text);
                assertTrue(text.contains("6.1+ ignores lower-bound failures"), text);
            }),
            Map.entry("upper-bound-6.18", (r, text) -> {
                assertNotNull(r.story(), text);
                assertTrue(text.contains("a newer kernel would not help"), text);
            }),
            Map.entry("congested-4.19", (r, text) -> {
                assertNotNull(r.story(), text);
                assertEquals(0, r.metrics().injected(), "no forged packets in the congested scenarios");
            }),
            Map.entry("congested-6.18", (r, text) -> assertTrue(text.contains("kernel 6.18 ignored"), text)),
            Map.entry("congested-drop-invalid", (r, text) -> assertTrue(text.contains("KUBE-FORWARD dropped"), text)),
            Map.entry(
                    "congested-be-liberal",
                    (r, text) -> assertTrue(
                            text.contains("nf_conntrack_tcp_be_liberal=1: conntrack marked 0 packets INVALID"), text)));

    @TestFactory
    Stream<DynamicTest> everyScenarioMeetsItsExpectations() throws IOException {
        return scenarioFiles().stream()
                .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                    String yaml = Files.readString(file);
                    assertTrue(yaml.startsWith("# "), file + " must start with a comment saying what it teaches");
                    assertTrue(yaml.contains("What it teaches"), file + " must say what it teaches");
                    Scenario s = ScenarioLoader.load(file, List.of());
                    assertFalse(s.spec().expectations().isEmpty(), file + " has no expectations");
                    RunReport r = ScenarioRun.run(s, new ScenarioRun.Options(true, null, false, null));
                    String text = TextReport.render(r);
                    String failed = r.expectations().stream()
                            .filter(e -> !e.pass())
                            .map(e -> e.text() + " (actual " + e.actual() + ")")
                            .collect(Collectors.joining(", "));
                    assertTrue(r.passed(), file + ": failed " + failed + "\n" + text);
                    assertEquals(r.metrics().resets() > 0, r.diagnosis().reset());
                    String name = file.getFileName().toString().replaceAll("\\.yaml$", "");
                    BiConsumer<RunReport, String> teaches = TEACHES.get(name);
                    if (teaches != null) {
                        teaches.accept(r, text);
                    }
                }));
    }

    @Test
    void everyTeachingCheckHasItsScenario() throws IOException {
        List<String> names = scenarioFiles().stream()
                .map(p -> p.getFileName().toString().replaceAll("\\.yaml$", ""))
                .collect(Collectors.toList());
        assertTrue(names.containsAll(TEACHES.keySet()), "missing scenarios: " + TEACHES.keySet() + " vs " + names);
    }

    @Test
    void expectationsAreEvaluatedAgainstTheNamedCounter() {
        io.kpsim.report.RunMetrics m = new io.kpsim.report.RunMetrics(10, 9, 1, 3, 2, 0, 500, 0, 0, 7, 1);
        List<ExpectationResult> results = ScenarioRun.evaluate(
                List.of(
                        new Expectation(Metric.CONNECTIONS, Comparison.EQ, 10),
                        new Expectation(Metric.COMPLETED, Comparison.LT, 9),
                        new Expectation(Metric.RESETS, Comparison.GE, 1),
                        new Expectation(Metric.INVALID, Comparison.NE, 3),
                        new Expectation(Metric.INVALID_DROPPED, Comparison.GT, 1),
                        new Expectation(Metric.PACKETS, Comparison.LE, 499),
                        new Expectation(Metric.RETRANSMISSIONS, Comparison.EQ, 7)),
                m);
        assertEquals(
                List.of(true, false, true, false, true, false, true),
                results.stream().map(ExpectationResult::pass).collect(Collectors.toList()));
        assertEquals(
                List.of(10L, 9L, 1L, 3L, 2L, 500L, 7L),
                results.stream().map(ExpectationResult::actual).collect(Collectors.toList()));
        assertEquals("completed < 9", results.get(1).text());
    }
}
