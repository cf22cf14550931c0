package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden output: what {@code kpsim run SCENARIO} prints, as text and as JSON, for every scenario of
 * the library ({@code scenarios/*.yaml}, each at its own {@code spec.seed}), compared byte for
 * byte with the files checked in under {@code simulator/src/test/resources/golden/run/}. A change
 * of behaviour anywhere in the model shows up here as a diff that a reviewer must approve by
 * regenerating the files and committing them:
 *
 * <pre>{@code
 * mvn -B -pl simulator test -Dtest=GoldenOutputTest -Dkpsim.updateGoldens=true
 * git diff simulator/src/test/resources/golden
 * }</pre>
 *
 * <p>The only normalisation: the scenario's path, passed as an absolute path so the test runs from
 * any directory, is shown relative to the repository root ({@code scenarios/NAME.yaml}), as
 * {@code ./kpsim run scenarios/NAME.yaml} prints it there.
 */
class GoldenOutputTest {

    /** The system property that rewrites the golden files instead of comparing with them. */
    static final String UPDATE = "kpsim.updateGoldens";

    static Path root() {
        return Path.of(System.getProperty("kpsim.root", "..")).toAbsolutePath().normalize();
    }

    static Path goldenDir() {
        return root().resolve("simulator/src/test/resources/golden/run");
    }

    static List<Path> scenarios() throws IOException {
        try (Stream<Path> files = Files.list(root().resolve("scenarios"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
        }
    }

    private static boolean updating() {
        return Boolean.getBoolean(UPDATE);
    }

    @TestFactory
    Stream<DynamicTest> everyLibraryScenarioPrintsItsGoldenTextAndJson() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : scenarios()) {
            String name = file.getFileName().toString().replaceAll("\\.yaml$", "");
            tests.add(DynamicTest.dynamicTest(name + " text", () -> check(file, name + ".txt")));
            tests.add(DynamicTest.dynamicTest(name + " json", () -> check(file, name + ".json", "--format", "json")));
        }
        return tests.stream();
    }

    /** Every golden file belongs to a scenario that still exists, so none goes stale unseen. */
    @Test
    void noGoldenFileOutlivesItsScenario() throws IOException {
        TreeSet<String> expected = new TreeSet<>();
        for (Path file : scenarios()) {
            String name = file.getFileName().toString().replaceAll("\\.yaml$", "");
            expected.add(name + ".txt");
            expected.add(name + ".json");
        }
        TreeSet<String> present = new TreeSet<>();
        if (Files.isDirectory(goldenDir())) {
            try (Stream<Path> files = Files.list(goldenDir())) {
                files.forEach(p -> present.add(p.getFileName().toString()));
            }
        }
        if (updating()) {
            for (String stale : present) {
                if (!expected.contains(stale)) {
                    Files.delete(goldenDir().resolve(stale));
                }
            }
            return;
        }
        assertEquals(
                expected, present, "golden files under " + goldenDir() + " (regenerate with -D" + UPDATE + "=true)");
    }

    private static void check(Path file, String golden, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", file.toString()));
        args.addAll(List.of(options));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals("", r.err(), "kpsim " + String.join(" ", args) + " wrote to stderr");
        assertTrue(r.exitCode() == ExitCode.OK, "kpsim " + String.join(" ", args) + " exited " + r.exitCode());
        String actual = r.out().replace(root() + "/", "");
        Path path = goldenDir().resolve(golden);
        if (updating()) {
            Files.createDirectories(path.getParent());
            Files.writeString(path, actual, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(path)) {
            fail(path + " is missing (regenerate with -D" + UPDATE + "=true)");
        }
        String expected = Files.readString(path, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) {
            assertEquals(
                    expected,
                    actual,
                    "kpsim " + String.join(" ", args).replace(root() + "/", "") + " differs from "
                            + root().relativize(path)
                            + "; if the change is intended, regenerate with -D" + UPDATE
                            + "=true and commit the diff");
        }
    }
}
