package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Only the subcommand a command line names is built; help, mistakes and no arguments still see them all. */
class SubcommandsTest {

    private static List<String> registered(String... args) {
        CommandLine cli = new CommandLine(KpsimCommand.create(null, Interrupts.none()));
        Subcommands.register(cli, args);
        return new ArrayList<>(cli.getSubcommands().keySet());
    }

    private static List<String> all() {
        return Subcommands.NAMES;
    }

    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt() {
        for (String name : all()) {
            assertEquals(List.of(name), registered(name, "--help"), name);
        }
        assertEquals(List.of("run"), registered("run"));
    }

    @Test
    void eachNameIsItsCommandsOwn() {
        for (String name : all()) {
            Object command = Subcommands.command(name, null);
            String declared = command instanceof Class<?> c
                    ? c.getAnnotation(CommandLine.Command.class).name()
                    : ((CommandLine.Model.CommandSpec) command).name();
            assertEquals(name, declared);
        }
    }

    @Test
    void versionAloneBuildsNone() {
        assertEquals(List.of(), registered("--version"));
        assertEquals(List.of(), registered("-V"));
        assertEquals(all(), registered("--version", "--help"));
    }

    @Test
    void anythingElseBuildsAllInHelpOrder() {
        assertEquals(
                List.of("run", "validate", "rules", "trace", "replay", "diagnose", "matrix", "oracle", "kernels"),
                all());
        assertEquals(all(), registered());
        assertEquals(all(), registered("--help"));
        assertEquals(all(), registered("rnu"));
        assertEquals(all(), registered("-h", "run"));
    }

    @Test
    void helpListsEverySubcommandAndVersionWorksWithoutThem() {
        Cli help = Cli.run("--help");
        assertEquals(0, help.exitCode(), help.err());
        int at = -1;
        for (String name : all()) {
            int next = help.out().indexOf("\n  " + name + " ");
            assertTrue(next > at, name + " missing or out of order in:\n" + help.out());
            at = next;
        }
        Cli version = Cli.run("--version");
        assertEquals(0, version.exitCode(), version.err());
        assertTrue(version.out().startsWith("kpsim "), version.out());
        Cli mistake = Cli.run("rnu");
        assertEquals(2, mistake.exitCode());
        assertTrue(mistake.err().contains("'rnu'"), mistake.err());
    }

    @Test
    void settingsReachALazilyAddedSubcommand() {
        // Case-insensitive enum values are set after the subcommand is registered: --format JSON must parse.
        Path tiny = RunCommandTest.root().resolve("benchmarks/scenarios/bench-tiny-exchange.yaml");
        Cli json = Cli.run("run", tiny.toString(), "--format", "JSON");
        assertEquals(0, json.exitCode(), json.err());
        assertTrue(json.out().startsWith("{"), json.out());
        Cli bad = Cli.run("run", tiny.toString(), "--format", "yaml");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().startsWith("kpsim: ") && bad.err().contains("--format"), bad.err());
    }
}
