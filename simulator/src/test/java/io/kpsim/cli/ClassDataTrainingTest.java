package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The class-data training runs every command a user runs, each to a successful end, and leaves nothing behind. */
class ClassDataTrainingTest {

    @Test
    void everySubcommandButTheOracleIsTrained(@TempDir Path dir) throws IOException {
        Set<String> trained =
                ClassDataTraining.commands(dir).stream().map(c -> c.get(0)).collect(Collectors.toSet());
        for (String name : Subcommands.NAMES) {
            // The oracle needs root and network namespaces; the training must run anywhere.
            assertEquals(!name.equals("oracle"), trained.contains(name), name);
        }
        assertTrue(trained.contains("--help"), trained.toString());
    }

    @Test
    void everyTrainingCommandSucceeds(@TempDir Path dir) throws IOException {
        for (List<String> command : ClassDataTraining.commands(dir)) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.execute(new PrintWriter(out), new PrintWriter(err), command.toArray(new String[0]));
            // A command that stops early would leave its classes out of the archive.
            assertEquals(0, code, command + ":\n" + err + out);
            assertTrue(!out.toString().isEmpty() || command.contains("--quiet"), command.toString());
        }
    }

    @Test
    void theTrainingLeavesNoFilesBehind(@TempDir Path parent) throws IOException {
        // A private parent: a launcher training in another JVM writes into the shared temporary directory.
        ClassDataTraining.train(parent);
        try (Stream<Path> files = Files.list(parent)) {
            assertEquals(List.of(), files.toList());
        }
    }
}
