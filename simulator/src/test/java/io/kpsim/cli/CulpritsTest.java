package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each message names the thing that is wrong: the directory, the option, the scenario, never a
 * bystander; what the user gave is exit 2 with one line.
 */
class CulpritsTest {

    @TempDir
    Path dir;

    @Test
    void aDirectoryGivenAsAScenarioSaysItIsADirectory() {
        Path scenarios = RunCommandTest.root().resolve("scenarios");
        String expected = scenarios + ": is a directory (expected a scenario YAML file, e.g. " + scenarios
                + "/blog-reset.yaml)\n";
        Cli run = Cli.run("run", scenarios.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertEquals(expected, run.err());
        Cli validate = Cli.run("validate", scenarios.toString());
        assertEquals(2, validate.exitCode(), validate.err());
        assertEquals(expected, validate.err());
    }

    @Test
    void aDirectoryGivenAsACaptureSaysItIsADirectory() {
        Cli replay = Cli.run("replay", "--service", "10.96.0.10:80=10.244.2.2:8080", dir.toString());
        assertEquals(2, replay.exitCode(), replay.err());
        assertEquals("kpsim: " + dir + ": is a directory\n", replay.err());
        Cli oracle = Cli.run("oracle", dir.toString());
        assertEquals(2, oracle.exitCode(), oracle.err());
        assertEquals("kpsim: " + dir + ": is a directory (expected a pcap or pcapng file)\n", oracle.err());
    }

    @Test
    void theOracleBlamesTheCaptureOrTheMachineNeverItself() throws IOException {
        Path garbage = Files.writeString(dir.resolve("garbage.pcap"), "not a capture at all, just text\n");
        Cli bad = Cli.run("oracle", garbage.toString());
        assertEquals(2, bad.exitCode(), bad.err());
        assertEquals(1, bad.errLines().length, bad.err());
        assertTrue(bad.err().startsWith("kpsim: " + garbage + ": not a pcap or pcapng file"), bad.err());

        // a valid, empty capture (little-endian pcap header, Ethernet) against a kernel not running here
        byte[] header = {
            (byte) 0xd4,
            (byte) 0xc3,
            (byte) 0xb2,
            (byte) 0xa1,
            2,
            0,
            4,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0, //
            (byte) 0xff,
            (byte) 0xff,
            0,
            0,
            1,
            0,
            0,
            0
        };
        Path empty = Files.write(dir.resolve("empty.pcap"), header);
        String running = System.getProperty("os.version");
        String other = running.startsWith("4.19") ? "6.18" : "4.19";
        Cli kernel = Cli.run("oracle", "--kernel", other, empty.toString());
        assertEquals(2, kernel.exitCode(), kernel.err());
        assertEquals(1, kernel.errLines().length, kernel.err());
        assertTrue(
                kernel.err().startsWith("kpsim: --kernel " + other + ": the oracle can only verify the running kernel"),
                kernel.err());
    }

    @Test
    void aClusterTheModelRefusesIsTheScenariosProblem() {
        Path scenario = RunCommandTest.scenario("boom-4.19");
        Cli cli = Cli.run("run", scenario.toString(), "--set", "spec.pods[1].ip=10.244.2.1", "-q");
        assertEquals(2, cli.exitCode(), cli.err());
        assertEquals(1, cli.errLines().length, cli.err());
        assertTrue(
                cli.err()
                        .startsWith(
                                scenario + ": pod boom-server address 10.244.2.1 is not a pod address of node node-b"),
                cli.err());
    }

    @Test
    void aPcapTargetThatIsAFileIsNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("caps"), "a file\n");
        Cli cli = Cli.run("run", RunCommandTest.scenario("boom-4.19").toString(), "--pcap", file.toString(), "-q");
        assertEquals(2, cli.exitCode(), cli.err());
        assertEquals("kpsim: --pcap: " + file + ": not a directory (--pcap wants a directory)\n", cli.err());
    }

    @Test
    void aBugReportQuotesTheCommandLineAsAShellReadsIt() {
        assertEquals("scenarios/boom-4.19.yaml", ErrorHandlers.quote("scenarios/boom-4.19.yaml"));
        assertEquals(
                "spec.links[0].loss=1%",
                ErrorHandlers.quote("spec.links[0].loss=1%").replace("'", ""));
        assertEquals("'a b'", ErrorHandlers.quote("a b"));
        assertEquals("'it'\\''s'", ErrorHandlers.quote("it's"));
        assertEquals("''", ErrorHandlers.quote(""));
    }
}
