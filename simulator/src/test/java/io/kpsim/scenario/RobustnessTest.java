package io.kpsim.scenario;

import static io.kpsim.scenario.ErrorsTest.BASE;
import static io.kpsim.scenario.ErrorsTest.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever the input, the loader answers with a scenario or with problems, never with a stack trace. */
class RobustnessTest {

    @Test
    void everyOneLineDeletionOrCorruptionGivesProblemsNotCrashes() {
        String[] lines = BASE.split("\n", -1);
        String[] junk = {"", ":", "- ", "[", "{", "!x ", "&a ", "*a", "'", "\"", "? ", "~", "-1", "0x10", "\t"};
        int runs = 0;
        for (int i = 0; i < lines.length; i++) {
            for (String j : junk) {
                for (int at : new int[] {0, lines[i].length() / 2, lines[i].length()}) {
                    String[] copy = lines.clone();
                    copy[i] = j.isEmpty() ? "" : lines[i].substring(0, at) + j + lines[i].substring(at);
                    String yaml = String.join("\n", copy);
                    try {
                        ScenarioLoader.parse(yaml, "t.yaml", List.of());
                    } catch (ScenarioException e) {
                        assertFalse(e.getProblems().isEmpty());
                        for (Problem p : e.getProblems()) {
                            assertTrue(p.toString().startsWith("t.yaml"), p.toString());
                        }
                    }
                    runs++;
                }
            }
        }
        assertTrue(runs > 1000);
    }

    @Test
    void multipleDocumentsAreRejected() {
        assertEquals(
                List.of("t.yaml:23:1: invalid YAML: expected a single document in the stream but found another"
                        + " document"),
                problems(BASE + "---\nkind: Other\n"));
    }

    @Test
    void aScalarDocumentIsNotAScenario() {
        assertEquals(
                List.of("t.yaml:1:1: the document: expected a mapping of apiVersion, kind, metadata, spec, found"
                        + " 'hello'"),
                problems("hello\n"));
    }

    @Test
    void recursiveAliasesDoNotLoop() {
        List<String> p = problems(
                BASE.replace("  nodes:\n", "  nodes: &n\n    - *n\n")
                        .replace("    - {name: node-a", "    - {name: node-a"),
                "spec.links=&l [*l]");
        assertFalse(p.isEmpty());
    }

    @Test
    void overridesOnANonMappingDocument() {
        assertEquals(
                List.of(
                        "--set spec.seed=1: cannot set 'spec': the document is a list, not a mapping",
                        "t.yaml:1:1: the document: expected a mapping of apiVersion, kind, metadata, spec, found a list"),
                problems("- a\n", "spec.seed=1"));
    }

    @Test
    void unreadableFiles(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing.yaml");
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.load(missing, List.of()));
        assertEquals(missing + ": no such file", e.getMessage());
        Path binary = dir.resolve("binary.yaml");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        e = assertThrows(ScenarioException.class, () -> ScenarioLoader.load(binary, List.of()));
        assertEquals(binary + ": not UTF-8 text (expected a YAML file)", e.getMessage());
    }

    @Test
    void loadingTwiceGivesEqualScenarios() throws ScenarioException {
        assertEquals(
                ScenarioLoader.parse(ScenarioBindingTest.FULL, "a", List.of()),
                ScenarioLoader.parse(ScenarioBindingTest.FULL, "a", List.of()));
    }
}
