package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every command's {@code --help} lists its exit codes, and they are the ones src/docs/errors.md
 * documents: the list cannot say "2 otherwise" for a command that exits 3 on a kpsim bug.
 */
class HelpExitCodesTest {

    private static final Pattern DOC_ROW = Pattern.compile("^\\| (\\d+) +\\| (.+) \\|$");
    private static final Pattern HELP_ROW = Pattern.compile("^ {2}(\\d+) +(\\S.*)$");

    @ParameterizedTest
    @ValueSource(strings = {"", "run", "validate", "rules", "trace", "replay", "oracle"})
    void helpListsTheDocumentedExitCodes(String command) throws IOException {
        Cli help = command.isEmpty() ? Cli.run("--help") : Cli.run(command, "--help");
        assertEquals(0, help.exitCode());
        Map<Integer, String> listed = helpCodes(help.out());
        Map<Integer, String> documented = documentedCodes();

        assertTrue(documented.keySet().containsAll(listed.keySet()), "undocumented codes in " + listed);
        for (int code : new int[] {0, 2, 3, 130, 141, 143}) {
            assertTrue(listed.containsKey(code), "kpsim " + command + " --help does not list " + code + ": " + listed);
        }
        assertTrue(listed.get(3).contains("kpsim bug"), listed.get(3));
        // 1 is a failed expectation or an oracle difference: only the commands that can end so list it
        boolean fails = command.isEmpty() || command.equals("run") || command.equals("oracle");
        assertEquals(fails, listed.containsKey(1), "code 1 in " + listed);
        if (command.isEmpty()) {
            assertEquals(documented.keySet(), listed.keySet(), "kpsim --help lists every documented code");
        }
        assertFalse(help.out().contains("otherwise"), help.out());
    }

    /** The code table of src/docs/errors.md: code to meaning. */
    private static Map<Integer, String> documentedCodes() throws IOException {
        Path doc = Path.of(System.getProperty("kpsim.root", "..")).resolve("src/docs/errors.md");
        Map<Integer, String> codes = new TreeMap<>();
        for (String line : Files.readAllLines(doc)) {
            Matcher m = DOC_ROW.matcher(line);
            if (m.matches()) {
                codes.put(Integer.parseInt(m.group(1)), m.group(2));
            }
        }
        assertEquals(7, codes.size(), "the exit code table of " + doc + ": " + codes);
        return codes;
    }

    /** The "Exit codes:" list of a help text: code to its first line. */
    private static Map<Integer, String> helpCodes(String help) {
        int from = help.indexOf("\nExit codes:\n");
        assertTrue(from >= 0, help);
        Map<Integer, String> codes = new TreeMap<>();
        for (String line : help.substring(from).split("\n")) {
            Matcher m = HELP_ROW.matcher(line);
            if (m.matches()) {
                codes.put(Integer.parseInt(m.group(1)), m.group(2));
            }
        }
        return codes;
    }
}
