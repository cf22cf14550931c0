package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The matrix tables of {@code src/docs/kube-proxy-modes.md} are {@code kpsim matrix}'s output: each
 * {@code <!-- kpsim matrix ARGS -->} line is run and must print exactly the text block under it.
 * To refresh them, run the commands shown and paste the output.
 */
class MatrixDocTest {

    private static final String MARK = "<!-- kpsim matrix";

    @Test
    void everyTableInTheDocIsWhatTheCommandPrints() throws IOException {
        Path root = Path.of(System.getProperty("kpsim.root", ".."));
        List<String> lines = Files.readAllLines(root.resolve("src/docs/kube-proxy-modes.md"));
        int tables = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith(MARK)) {
                continue;
            }
            assertTrue(line.endsWith("-->"), "line " + (i + 1) + ": " + line);
            assertEquals("```text", lines.get(i + 1), "line " + (i + 2) + " opens the table");
            StringBuilder table = new StringBuilder();
            int j = i + 2;
            while (!lines.get(j).equals("```")) {
                table.append(lines.get(j)).append('\n');
                j++;
            }
            String args = line.substring(MARK.length(), line.length() - "-->".length())
                    .strip();
            Cli cli = Cli.run(command(root, args));
            assertEquals(0, cli.exitCode(), cli.err());
            assertEquals(
                    cli.out(),
                    table.toString(),
                    "the table under line " + (i + 1) + " (kpsim matrix " + args
                            + ") is stale: paste the command's output");
            tables++;
            i = j;
        }
        assertEquals(2, tables, "tables in kube-proxy-modes.md");
    }

    /** {@code matrix ARGS}, scenario files resolved from the repository root, the default one named. */
    private static String[] command(Path root, String args) {
        List<String> command = new ArrayList<>(List.of("matrix"));
        boolean scenario = false;
        for (String a : args.isEmpty() ? List.<String>of() : Arrays.asList(args.split(" +"))) {
            if (a.endsWith(".yaml")) {
                command.add(root.resolve(a).toString());
                scenario = true;
            } else {
                command.add(a);
            }
        }
        if (!scenario) {
            command.add(root.resolve(RunCommand.DEFAULT_SCENARIO).toString());
        }
        return command.toArray(String[]::new);
    }
}
