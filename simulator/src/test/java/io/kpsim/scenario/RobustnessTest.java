package io.kpsim.scenario;

import static io.kpsim.scenario.ErrorsTest.BASE;
import static io.kpsim.scenario.ErrorsTest.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
    void customTagsAreRefusedAtTheirPosition() {
        assertEquals(
                List.of("t.yaml:6:13: spec.duration: unknown YAML tag '!foo' (expected a plain value without a tag;"
                        + " a value that starts with '!' must be quoted, e.g. \"!foo 10s\")"),
                problems(ErrorsTest.replace("duration: 10s", "duration: !foo 10s")));
        assertEquals(
                List.of("t.yaml:6:13: spec.duration: unknown YAML tag '!!binary' (expected a plain value"
                        + " without a tag; a value that starts with '!' must be quoted, e.g. \"!!binary 10s\")"),
                problems(ErrorsTest.replace("duration: 10s", "duration: !!binary 10s")));
        assertEquals(
                List.of("t.yaml:7:10: spec.nodes: unknown YAML tag '!list' (expected a plain value without a tag; a"
                        + " value that starts with '!' must be quoted, e.g. \"!list\")"),
                problems(ErrorsTest.replace("  nodes:\n", "  nodes: !list\n")));
        assertEquals(
                List.of("t.yaml:5:7: spec: unknown YAML tag 'tag:example.com,2026:x' (expected a plain value"
                        + " without a tag; a value that starts with '!' must be quoted, e.g."
                        + " \"tag:example.com,2026:x\")"),
                problems(ErrorsTest.replace("spec:\n", "spec: !<tag:example.com,2026:x>\n")));
        assertEquals(
                List.of("t.yaml:6:3: key 'duration' under spec: unknown YAML tag '!k' (expected a plain value without"
                        + " a tag; a value that starts with '!' must be quoted, e.g. \"!k duration\")"),
                problems(ErrorsTest.replace("  duration: 10s", "  !k duration: 10s")));
    }

    @Test
    void theTagsPlainYamlResolvesToAreAccepted() throws ScenarioException {
        Scenario s = ScenarioLoader.parse(
                ErrorsTest.replace("duration: 10s", "duration: !!str 10s")
                        .replace("    resets: 0", "    resets: !!int 0"),
                "t.yaml",
                List.of());
        assertEquals(10_000_000_000L, s.spec().durationNanos());
    }

    @Test
    void anOversizedFileIsRefusedUnreadFromItsSize(@TempDir Path dir) throws IOException {
        Path huge = dir.resolve("huge.yaml");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(20L << 20); // sparse: 20 MiB the loader must not read
        }
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.load(huge, List.of()));
        assertEquals(
                huge + ": is too large: 20971520 bytes (expected a scenario of at most 1MiB; kpsim refuses larger"
                        + " files without reading them)",
                e.getMessage());
    }

    @Test
    void anInputOfUnknownSizeIsReadOnlyUpToTheLimit() {
        Path endless = Path.of("/dev/zero");
        assumeTrue(Files.isReadable(endless), "needs /dev/zero");
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.load(endless, List.of()));
        assertEquals(
                "/dev/zero: is too large: more than 1048576 bytes (expected a scenario of at most 1MiB; kpsim refuses"
                        + " larger files without reading them)",
                e.getMessage());
    }

    @Test
    void theLimitIsInclusive(@TempDir Path dir) throws IOException, ScenarioException {
        String padded = BASE + "#" + "x".repeat(ScenarioLoader.MAX_BYTES - BASE.length() - 2) + "\n";
        assertEquals(ScenarioLoader.MAX_BYTES, padded.length());
        Path exact = dir.resolve("exact.yaml");
        Files.writeString(exact, padded);
        assertEquals("t", ScenarioLoader.load(exact, List.of()).metadata().name());
        Files.writeString(exact, padded + "\n");
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.load(exact, List.of()));
        assertTrue(e.getMessage().contains("is too large: 1048577 bytes"), e.getMessage());
        e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse(padded + "\n", "t.yaml", List.of()));
        assertEquals(
                "t.yaml: is too large: 1048577 characters (expected a scenario of at most 1MiB; kpsim refuses larger"
                        + " files without reading them)",
                e.getMessage());
    }

    @Test
    void loadingTwiceGivesEqualScenarios() throws ScenarioException {
        assertEquals(
                ScenarioLoader.parse(ScenarioBindingTest.FULL, "a", List.of()),
                ScenarioLoader.parse(ScenarioBindingTest.FULL, "a", List.of()));
    }
}
