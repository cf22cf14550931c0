package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checked examples of {@code src/docs/trace.md} are {@code kpsim trace}'s output: each code block
 * under a {@code <!-- checked by TraceDocTest ... -->} line starts with {@code $ kpsim trace ARGS}
 * (files named from the repository root), and the rest of the block must be exactly what the
 * command prints. To refresh one, run the command from the repository root and paste its output.
 */
class TraceDocTest {

    private static final String MARK = "<!-- checked by TraceDocTest";
    private static final String PROMPT = "$ kpsim trace ";

    @Test
    void everyCheckedExampleIsWhatTheCommandPrints() throws IOException {
        Path root = Path.of(System.getProperty("kpsim.root", ".."));
        List<String> lines = Files.readAllLines(root.resolve("src/docs/trace.md"));
        int examples = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith(MARK)) {
                continue;
            }
            assertEquals("```", lines.get(i + 1), "line " + (i + 2) + " opens the example");
            String command = lines.get(i + 2);
            assertTrue(command.startsWith(PROMPT), "line " + (i + 3) + ": " + command);
            StringBuilder shown = new StringBuilder();
            int j = i + 3;
            while (!lines.get(j).equals("```")) {
                shown.append(lines.get(j)).append('\n');
                j++;
            }
            List<String> args = new ArrayList<>(List.of("trace"));
            List<String> files = new ArrayList<>();
            for (String a : command.substring(PROMPT.length()).split(" +")) {
                if (a.startsWith("src/docs/")) {
                    files.add(a);
                    args.add(root.resolve(a).toString());
                } else {
                    args.add(a);
                }
            }
            Cli cli = Cli.run(args.toArray(String[]::new));
            assertEquals(0, cli.exitCode(), cli.err());
            String out = cli.out();
            for (String f : files) {
                out = out.replace(root.resolve(f).toString(), f);
            }
            assertEquals(
                    shown.toString(),
                    out,
                    "the example under line " + (i + 1) + " is stale: paste the output of " + command.substring(2));
            examples++;
            i = j;
        }
        assertEquals(3, examples, "checked examples in trace.md");
    }
}
