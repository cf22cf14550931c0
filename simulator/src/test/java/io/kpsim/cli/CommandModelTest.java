package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The commands declared through picocli's programmatic API ({@code kpsim} itself, {@code run}, and
 * the mixins {@code run} shares with {@code rules} and {@code diagnose}) print the same help, the
 * same messages and exit with the same codes as when they were declared by annotations. The files
 * under {@code golden/help/} were written by the annotated build (main at {@code 0049e6f}, run as
 * {@code java -jar kpsim.jar ARGS}): stdout, then stderr, then the exit code. Regenerate with
 * {@code -Dkpsim.updateGoldens=true} only for a change of the command line that is meant.
 */
class CommandModelTest {

    private static final List<List<String>> CASES = List.of(
            List.of(),
            List.of("--help"),
            List.of("run", "--help"),
            List.of("run", "--bogus"),
            List.of("run", "--format"),
            List.of("run", "--format", "yaml"),
            List.of("run", "--snaplen", "x"),
            List.of("run", "--seed"),
            List.of("run", "--quiet", "--quiet"),
            List.of("run", "a.yaml", "b.yaml"),
            List.of("rules", "--help"),
            List.of("rules", "--bogus"),
            List.of("rules", "--seed", "x"),
            List.of("diagnose", "--help"),
            List.of("diagnose", "--html"));

    private static Path golden(List<String> args) {
        String name = String.join(
                        "-",
                        Stream.concat(Stream.of("kpsim"), args.stream())
                                .map(a -> a.replaceAll("[^A-Za-z0-9]+", "-"))
                                .toList())
                .replaceAll("-+", "-")
                .replaceAll("-$", "");
        return GoldenOutputTest.root().resolve("simulator/src/test/resources/golden/help/" + name + ".txt");
    }

    @TestFactory
    Stream<DynamicTest> helpMessagesAndExitCodesAreTheAnnotatedOnes() {
        return CASES.stream()
                .map(args -> DynamicTest.dynamicTest("kpsim " + String.join(" ", args), () -> {
                    Cli cli = Cli.run(args.toArray(new String[0]));
                    String actual = cli.out() + "--- stderr\n" + cli.err() + "--- exit " + cli.exitCode() + "\n";
                    Path file = golden(args);
                    if (Boolean.getBoolean(GoldenOutputTest.UPDATE)) {
                        Files.writeString(file, actual, StandardCharsets.UTF_8);
                    }
                    assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, file.toString());
                }));
    }

    @Test
    void runsOptionsReachItsFields() throws IOException {
        CommandLine cli = new CommandLine(KpsimCommand.create(null, Interrupts.none()));
        Subcommands.register(cli, "run");
        cli.parseArgs(
                "run",
                "s.yaml",
                "-q",
                "--format",
                "json",
                "--pcap",
                "d",
                "--force",
                "--snaplen",
                "0",
                "--html",
                "p.html",
                "--svg",
                "svg",
                "--compare-fixes",
                "--absolute-seq",
                "--all",
                "--ignore-memory-estimate",
                "--set",
                "spec.seed=2",
                "--set",
                "spec.duration=2s",
                "--seed",
                "3",
                "--kernel",
                "6.18",
                "--be-liberal",
                "--drop-invalid",
                "--proxy-mode",
                "nftables",
                "--kube-proxy-version",
                "1.31");
        RunCommand run = cli.getSubcommands().get("run").getCommand();
        assertEquals(Path.of("s.yaml"), run.file);
        assertTrue(run.quiet && run.force && run.absoluteSeq && run.all && run.ignoreMemoryEstimate);
        assertEquals(RunCommand.Format.json, run.format);
        assertEquals(Path.of("d"), run.pcapDir);
        assertEquals(0, run.snapLength);
        assertEquals(Path.of("p.html"), run.pictures.targets.html);
        assertEquals(Path.of("svg"), run.pictures.targets.svgDir);
        assertTrue(run.pictures.compareFixes);
        assertEquals(
                List.of(
                        "spec.seed=2",
                        "spec.duration=2s",
                        "spec.seed=3",
                        "spec.kernel=6.18",
                        "spec.sysctls.net.netfilter.nf_conntrack_tcp_be_liberal=1",
                        "spec.kubeProxy.dropInvalid=true",
                        "spec.kubeProxy.mode=nftables",
                        "spec.kubeProxy.version=1.31"),
                run.scenarioOptions.overrides());
        assertEquals(cli.getCommand(), run.root);
        assertEquals(cli.getSubcommands().get("run").getCommandSpec(), run.spec);
    }

    @Test
    void runsDefaultsAreTheAnnotatedOnes() {
        CommandLine cli = new CommandLine(KpsimCommand.create(null, Interrupts.none()));
        Subcommands.register(cli, "run");
        cli.parseArgs("run");
        RunCommand run = cli.getSubcommands().get("run").getCommand();
        assertEquals(null, run.file);
        assertEquals(RunCommand.Format.text, run.format);
        assertEquals(io.kpsim.report.PcapRecorder.DEFAULT_SNAP_LENGTH, run.snapLength);
        assertTrue(!run.quiet && !run.force && run.pcapDir == null && !run.pictures.wanted());
        assertEquals(List.of(), run.scenarioOptions.overrides());
    }

    @Test
    void noOptionNeedsAConverterMainLeavesOut() {
        // Main excludes picocli's java.sql and java.time converters; no option of any command may need one.
        CommandLine cli = new CommandLine(KpsimCommand.create(null, Interrupts.none()));
        Subcommands.register(cli);
        List<CommandLine> commands = new java.util.ArrayList<>(List.of(cli));
        commands.addAll(cli.getSubcommands().values());
        int args = 0;
        for (CommandLine command : commands) {
            for (var arg : command.getCommandSpec().args()) {
                for (Class<?> type : arg.auxiliaryTypes()) {
                    String name = type.getName();
                    assertTrue(!name.startsWith("java.sql.") && !name.startsWith("java.time."), arg + ": " + name);
                }
                args++;
            }
        }
        assertTrue(args > 50, "options and parameters seen: " + args);
        // The expression picocli matches each built-in converter's class name against leaves out
        // exactly the java.sql and java.time ones.
        for (String excluded : List.of(
                "java.sql.Time",
                "java.sql.Connection",
                "java.sql.Driver",
                "java.sql.Timestamp",
                "java.time.Duration",
                "java.time.Instant",
                "java.time.LocalDate",
                "java.time.LocalDateTime",
                "java.time.LocalTime",
                "java.time.MonthDay",
                "java.time.OffsetDateTime",
                "java.time.OffsetTime",
                "java.time.Period",
                "java.time.Year",
                "java.time.YearMonth",
                "java.time.ZonedDateTime",
                "java.time.ZoneId",
                "java.time.ZoneOffset")) {
            assertTrue(excluded.matches(Main.CONVERTERS_EXCLUDED), excluded);
        }
        for (String kept : List.of("java.nio.file.Path", "java.sqlx.Foo", "java.timeline.Bar")) {
            assertTrue(!kept.matches(Main.CONVERTERS_EXCLUDED), kept);
        }
        assertTrue(!Main.CONVERTERS_EXCLUDED.contains(","), "one expression, compiled once per converter");
    }

    @Test
    void aRunCommandLineBuildsNoAnnotatedModel() {
        // No option of kpsim or run comes from a field annotation: picocli would name the field as its origin.
        CommandLine cli = new CommandLine(KpsimCommand.create(null, Interrupts.none()));
        Subcommands.register(cli, "run");
        for (CommandSpec spec :
                List.of(cli.getCommandSpec(), cli.getSubcommands().get("run").getCommandSpec())) {
            for (OptionSpec option : spec.options()) {
                assertTrue(!(option.userObject() instanceof java.lang.reflect.Field), option.longestName());
            }
        }
    }
}
