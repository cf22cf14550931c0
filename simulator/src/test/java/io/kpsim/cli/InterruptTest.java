package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kpsim.pcap.CaptureRecord;
import io.kpsim.pcap.PcapReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (SIGINT) and SIGTERM on a real kpsim process: exit 130 and 143, one line saying what was
 * stopped and what was kept, and every {@code --pcap} capture written so far closed as a valid
 * pcap file with a name a plain {@code ls} shows, which tcpdump reads to its end.
 */
class InterruptTest {

    @TempDir
    Path dir;

    @Test
    void ctrlCKeepsTheCapturesSoFarAsValidVisibleFiles() throws Exception {
        assumeTools();
        Path caps = dir.resolve("caps");
        Process p = startLongRun(caps, "INT");
        CompletableFuture<String> out = KpsimProcess.drain(p.getInputStream());
        CompletableFuture<String> err = KpsimProcess.drain(p.getErrorStream());
        awaitRecording(p, caps);
        signal(p, "INT");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kpsim ended after SIGINT");
        assertEquals(130, p.exitValue(), err.join());
        assertEquals("", out.join(), "no report: the run did not end");
        String line = err.join();
        assertTrue(
                line.startsWith("kpsim: interrupted: the run of " + RunCommandTest.scenario("congested-6.18")
                        + " (seed 42) stopped before its end; no report was printed; the captures so far were kept"
                        + " as valid pcap files in " + caps + ": 17 files named *.interrupted.pcap, "),
                line);
        assertEquals(1, line.lines().count(), line);
        List<String> names = listing(caps);
        assertEquals(17, names.size(), names.toString());
        long packets = 0;
        for (String name : names) {
            assertTrue(name.endsWith(".interrupted.pcap") && !name.startsWith("."), name);
            packets += readWhole(caps.resolve(name));
        }
        assertTrue(packets > 0, "the captures hold what was recorded");
        assertTrue(line.endsWith(", " + packets + " packets in all\n"), line);
    }

    @Test
    void sigtermSaysWhatWasStoppedAndExits143() throws Exception {
        assumeTools();
        Path caps = dir.resolve("caps");
        Process p = startLongRun(caps, "TERM");
        CompletableFuture<String> err = KpsimProcess.drain(p.getErrorStream());
        KpsimProcess.drain(p.getInputStream());
        awaitRecording(p, caps);
        signal(p, "TERM"); // not Process.destroy(): it also closes the pipes the test reads
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kpsim ended after SIGTERM");
        assertEquals(143, p.exitValue(), err.join());
        assertTrue(err.join().startsWith("kpsim: interrupted: the run of "), err.join());
        for (String name : listing(caps)) {
            assertTrue(name.endsWith(".interrupted.pcap"), name);
            readWhole(caps.resolve(name));
        }
    }

    /**
     * congested-6.18 with 256 MiB files: thirty downloads, about 11M packets and ten seconds or more
     * of wall time, long enough to be interrupted at leisure (the scenario's own 1 MiB files are done
     * within a second whatever the duration says, and on 4.19 large downloads are reset early).
     */
    private static Process startLongRun(Path caps, String signal) throws IOException {
        List<String> command = KpsimProcess.command(
                List.of("env", "--default-signal=" + signal), // a background job may inherit SIGINT ignored
                List.of(),
                "run",
                RunCommandTest.scenario("congested-6.18").toString(),
                "--set",
                "spec.duration=600s",
                "--set",
                "spec.workloads[0].fileSize=256MiB",
                "--pcap",
                caps.toString(),
                "-q");
        return new ProcessBuilder(command).start();
    }

    /** Waits until the run holds the directory and its captures have records on disk. */
    private static void awaitRecording(Process p, Path caps) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), "kpsim still running");
            if (Files.isDirectory(caps) && partialBytes(caps) > 256 * 1024) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no capture data within 60 s");
    }

    private static long partialBytes(Path caps) throws IOException {
        try (Stream<Path> files = Files.list(caps)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".partial"))
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }

    private static void signal(Process p, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name);
    }

    /** What {@code ls -A} shows, checked to hold no hidden file (no {@code .partial}, no lock). */
    static List<String> listing(Path caps) throws IOException {
        try (Stream<Path> files = Files.list(caps)) {
            List<String> all =
                    files.map(f -> f.getFileName().toString()).sorted().toList();
            for (String name : all) {
                assertFalse(name.startsWith("."), "left behind: " + name);
            }
            return all;
        }
    }

    /** Reads every record with tcpdump and with kpsim's reader; returns how many there are. */
    static long readWhole(Path file) throws Exception {
        Process tcpdump = new ProcessBuilder("tcpdump", "-n", "-r", file.toString()).start();
        CompletableFuture<String> lines = KpsimProcess.drain(tcpdump.getInputStream());
        String err = new String(tcpdump.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(tcpdump.waitFor(60, TimeUnit.SECONDS), "tcpdump ended");
        assertEquals(0, tcpdump.exitValue(), file + ": " + err);
        assertFalse(err.contains("truncated") || err.contains("invalid"), file + ": " + err);
        long count = lines.join().lines().count();
        long read = 0;
        try (PcapReader reader = PcapReader.open(file)) {
            for (CaptureRecord r : reader) {
                read++;
            }
        }
        assertEquals(count, read, file.toString());
        return count;
    }

    private static void assumeTools() {
        assumeTrue(KpsimProcess.works("tcpdump", "--version"), "tcpdump is not installed (apt-get install tcpdump)");
        assumeTrue(
                KpsimProcess.works("env", "--default-signal=INT", "true"),
                "env --default-signal (coreutils 8.31 or later) is needed to give kpsim a default SIGINT");
    }
}
