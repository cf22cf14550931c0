package io.kpsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.report.JsonReport;
import io.kpsim.report.RunContext;
import io.kpsim.report.RunMetrics;
import io.kpsim.report.RunReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every counter the JSON summary prints can be tested by {@code spec.expect}, and with the same value. */
class MetricCoverageTest {

    /** The JSON keys that are settings or times, not counters a run produces. */
    private static final List<String> NOT_COUNTERS = List.of("seed", "simulated_seconds");

    @Test
    void everyJsonCounterIsAnExpectableMetricWithTheSameValue() {
        // Distinct values, so a metric read from the wrong counter cannot pass.
        RunMetrics m = new RunMetrics(11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 2_000_000_000L);
        RunContext c = new RunContext("x", "", "x.yaml", 1, KernelProfile.V6_18, false, false, 2_000_000_000L);
        String json = JsonReport.render(new RunReport(c, m, null, null, List.of()));
        Map<String, Long> counters = new LinkedHashMap<>();
        Matcher f = Pattern.compile("\"([a-z_]+)\":(\\d+)[,}]").matcher(json);
        while (f.find()) {
            if (!NOT_COUNTERS.contains(f.group(1))) {
                counters.put(f.group(1), Long.parseLong(f.group(2)));
            }
        }
        assertEquals(10, counters.size(), json);
        List<String> names = new ArrayList<>();
        for (Metric metric : Metric.values()) {
            names.add(metric.yamlName());
        }
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            String name = camel(e.getKey().equals("reset") ? "resets" : e.getKey());
            assertTrue(names.contains(name), "expect: has no " + name + " for JSON's " + e.getKey());
            Metric metric = Metric.values()[names.indexOf(name)];
            assertEquals(e.getValue(), ScenarioRun.actual(metric, m), name);
        }
        assertEquals(counters.size(), Metric.values().length, "every metric is a JSON counter too");
    }

    @Test
    void expectTakesTheCountersTheJsonPrintsIgnoredIncluded() throws ScenarioException {
        Scenario s = ScenarioLoader.load(
                java.nio.file.Path.of(System.getProperty("kpsim.root", ".."), "scenarios", "boom-6.18.yaml"),
                List.of("spec.expect.ignored=\">= 1\"", "spec.expect.injected=2", "spec.expect.injectionsMissed=0"));
        List<Metric> metrics = new ArrayList<>();
        for (Expectation e : s.spec().expectations()) {
            metrics.add(e.metric());
        }
        assertTrue(
                metrics.containsAll(List.of(Metric.IGNORED, Metric.INJECTED, Metric.INJECTIONS_MISSED)),
                metrics.toString());
    }

    private static String camel(String snake) {
        StringBuilder s = new StringBuilder();
        boolean up = false;
        for (char ch : snake.toCharArray()) {
            if (ch == '_') {
                up = true;
            } else {
                s.append(up ? Character.toUpperCase(ch) : ch);
                up = false;
            }
        }
        return s.toString();
    }
}
