package io.kpsim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link StartupPhases} in a fresh JVM, as {@code benchmarks/startup.py --phases} starts it, on the
 * tiny exchange: every phase reports, in order, with sane numbers, and the marks the parent needs
 * are there. Timings are never judged.
 */
class StartupPhasesTest {

    private static final List<String> PHASES = List.of(
            "picocli", "yaml", "cluster", "simulate", "run-quiet-again", "run-text", "run-json", "pcap", "management");

    @Test
    void everyPhaseReportsInOrder() throws IOException, InterruptedException {
        Path scenario = Path.of(System.getProperty("basedir", "."))
                .resolve("scenarios/bench-tiny-exchange.yaml")
                .toAbsolutePath();
        assertTrue(Files.isRegularFile(scenario), scenario.toString());
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        StartupPhases.class.getName(),
                        scenario.toString())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "StartupPhases did not end");
        assertEquals(0, p.exitValue(), out);

        Map<String, long[]> phases = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        long main = -1;
        long end = -1;
        for (String line : out.split("\n")) {
            String[] f = line.split(" ");
            keys.add(f[0]);
            switch (f[0]) {
                case "main" -> main = Long.parseLong(f[1]);
                case "end" -> end = Long.parseLong(f[1]);
                case "phase" ->
                    phases.put(f[1], new long[] {Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])});
                case "jit-ms", "classes" -> assertTrue(Long.parseLong(f[1]) >= 0, line);
                case "gc" -> assertEquals(3, f.length, line);
                default -> throw new AssertionError("unexpected line: " + line + "\n" + out);
            }
        }
        assertEquals(PHASES, List.copyOf(phases.keySet()), out);
        assertTrue(main > 0 && end > main, out);
        assertEquals("main", keys.get(0));
        assertEquals("end", keys.get(keys.size() - 1));
        for (Map.Entry<String, long[]> e : phases.entrySet()) {
            long[] v = e.getValue();
            // Wall time, main-thread CPU and process CPU, in nanoseconds; the process includes the main
            // thread (its clock is read a moment later, so allow a millisecond).
            assertTrue(
                    v[0] > 0 && v[1] >= 0 && v[2] + 1_000_000 >= v[1], e.getKey() + " " + java.util.Arrays.toString(v));
        }
    }
}
