package io.kpsim.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.report.JsonReport;
import io.kpsim.report.ProgressMeter;
import io.kpsim.report.RunReport;
import io.kpsim.report.TextReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same scenario and seed give byte-identical text, JSON and captures; another seed does not. */
class ScenarioRunDeterminismTest {

    private static Scenario load(String name, String... overrides) throws ScenarioException {
        return ScenarioLoader.load(
                ScenarioLibraryTest.root().resolve("scenarios").resolve(name + ".yaml"), List.of(overrides));
    }

    @Test
    void sameSeedSameTextJsonAndCaptures(@TempDir Path dir) throws Exception {
        Scenario s = load("blog-reset", "spec.workloads[1].count=2");
        RunReport first = ScenarioRun.run(s, new ScenarioRun.Options(true, dir.resolve("one"), false, null));
        RunReport second = ScenarioRun.run(s, new ScenarioRun.Options(true, dir.resolve("two"), false, null));
        assertEquals(1, first.metrics().resets(), TextReport.render(first));
        assertEquals(TextReport.render(first), TextReport.render(second));
        assertEquals(JsonReport.render(first), JsonReport.render(second));
        List<String> names = names(dir.resolve("one"));
        assertEquals(6, names.size(), names.toString());
        assertEquals(names, names(dir.resolve("two")));
        for (String name : names) {
            assertArrayEquals(
                    Files.readAllBytes(dir.resolve("one").resolve(name)),
                    Files.readAllBytes(dir.resolve("two").resolve(name)),
                    name);
        }
    }

    @Test
    void randomNetworkIsReproducibleAndSeedDependent() throws Exception {
        Scenario s = load("congested-4.19", "spec.duration=400ms");
        String a = TextReport.render(ScenarioRun.run(s, new ScenarioRun.Options(true, null, false, null)));
        String b = TextReport.render(ScenarioRun.run(s, new ScenarioRun.Options(true, null, false, null)));
        assertEquals(a, b);
        Scenario other = load("congested-4.19", "spec.duration=400ms", "spec.seed=43");
        String c = TextReport.render(ScenarioRun.run(other, new ScenarioRun.Options(true, null, false, null)));
        assertTrue(c.contains("seed 43"), c);
        assertNotEquals(a.replace("seed 42", "seed 43"), c, "a different seed drives a different network");
    }

    @Test
    void aProgressMeterWatchingTheRunChangesNothing() throws Exception {
        Scenario s = load("congested-4.19", "spec.duration=300ms");
        String plain = TextReport.render(ScenarioRun.run(s, new ScenarioRun.Options(true, null, false, null)));
        java.io.ByteArrayOutputStream drawn = new java.io.ByteArrayOutputStream();
        java.util.concurrent.atomic.AtomicLong wall = new java.util.concurrent.atomic.AtomicLong();
        ProgressMeter meter = new ProgressMeter(
                new java.io.PrintStream(drawn, true, java.nio.charset.StandardCharsets.UTF_8),
                s.spec().durationNanos(),
                () -> wall.addAndGet(1_000_000_000L));
        String watched = TextReport.render(ScenarioRun.run(s, new ScenarioRun.Options(true, null, false, meter)));
        assertEquals(plain, watched);
        String bar = drawn.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(bar.split("\r").length > ScenarioRun.SLICES, "redrawn within slices too: " + bar.length());
        assertTrue(bar.endsWith("\r\033[K"), "erased at the end");
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
