package io.kpsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every file in {@code scenarios/} loads without a problem and documents what it teaches. */
class ScenarioFilesTest {

    static Path scenariosDir() {
        return Path.of(System.getProperty("kpsim.root", "..")).resolve("scenarios");
    }

    static List<Path> scenarioFiles() throws IOException {
        try (Stream<Path> files = Files.list(scenariosDir())) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
        }
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioLoads() throws IOException {
        List<Path> files = scenarioFiles();
        assertTrue(files.size() >= 10, "expected the ten draft scenarios, found " + files);
        return files.stream()
                .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                    String text = Files.readString(file);
                    assertTrue(text.startsWith("# "), file + " must start with a comment block saying what it teaches");
                    assertTrue(text.contains("What it teaches"), file + " must say what it teaches");
                    Scenario scenario;
                    try {
                        scenario = ScenarioLoader.load(file, List.of());
                    } catch (ScenarioException e) {
                        throw new AssertionError(e.getMessage(), e);
                    }
                    assertFalse(scenario.spec().expectations().isEmpty(), file + " has no expectations");
                    assertFalse(scenario.spec().workloads().isEmpty(), file + " has no workloads");
                    assertEquals(file.toString(), scenario.source());
                    String fileName = file.getFileName().toString();
                    assertEquals(
                            fileName.substring(0, fileName.length() - ".yaml".length()),
                            scenario.metadata().name(),
                            "metadata.name should match the file name");
                }));
    }
}
