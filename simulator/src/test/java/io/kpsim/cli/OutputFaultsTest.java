package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.pcap.PcapWriter;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every output stream is checked: a full device says what could not be written and exits 2, a
 * pipe whose reader went away ends every command at once and quietly (141, as a Unix tool killed
 * by SIGPIPE), an empty {@code --pcap} is refused, and a machine without libpcap is told which
 * package to install before {@code --pcap} makes anything.
 */
class OutputFaultsTest {

    private static final String SERVICE = "10.96.0.10:80=10.244.2.3:8080";
    /** Records in the long capture: minutes of text replay on a loaded machine, had it to run to the end. */
    private static final int RECORDS = 200_000;

    @TempDir
    static Path shared;

    private static Path longCapture;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeLongCapture() {
        longCapture = shared.resolve("long.pcap");
        int client = Ip4.parse("10.244.1.2");
        int vip = Ip4.parse("10.96.0.10");
        try (PcapWriter w = PcapWriter.create(longCapture)) {
            w.write(0, Packet.tcp(client, vip, segment(TcpFlags.SYN, 1000, TcpOptions.syn(1460, 7, true))));
            for (int i = 1; i < RECORDS; i++) {
                w.write(1_000L * i, Packet.tcp(client, vip, segment(TcpFlags.ACK, 1001, TcpOptions.NONE)));
            }
        }
    }

    private static TcpSegment segment(int flags, int seq, TcpOptions options) {
        return new TcpSegment(40001, 80, seq, 0, flags, 64240, 0, options, 0);
    }

    @Test
    void jsonToDevFullSaysWhatCouldNotBeWritten() {
        KpsimProcess.Result r = KpsimProcess.run(
                KpsimProcess.builder("run", RunCommandTest.scenario("boom-4.19").toString(), "--format", "json")
                        .redirectOutput(new File("/dev/full")),
                120);
        assertEquals(2, r.code(), r.err());
        assertEquals("kpsim: cannot write standard output: No space left on device\n", r.err());
    }

    @Test
    void replayToDevFullStopsAtTheFirstFailedWrite() {
        for (String format : List.of("text", "jsonl")) {
            KpsimProcess.Result r = KpsimProcess.run(
                    KpsimProcess.builder("replay", "--service", SERVICE, "--format", format, longCapture.toString())
                            .redirectOutput(new File("/dev/full")),
                    60);
            assertEquals(2, r.code(), format + ": " + r.err());
            assertEquals("kpsim: cannot write standard output: No space left on device\n", r.err(), format);
        }
    }

    @Test
    void aClosedPipeEndsReplayAtOnceAndQuietly() throws Exception {
        for (String format : List.of("text", "jsonl")) {
            Process p = KpsimProcess.builder("replay", "--service", SERVICE, "--format", format, longCapture.toString())
                    .start();
            CompletableFuture<String> err = KpsimProcess.drain(p.getErrorStream());
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine(); // | head -1
            out.close();
            assertTrue(first != null && first.contains("long.pcap"), format + ": " + first);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), format + ": kpsim ended after its reader went away");
            assertEquals(ExitCode.BROKEN_PIPE, p.exitValue(), format + ": " + err.join());
            assertEquals("", err.join(), format + ": quietly");
        }
    }

    @Test
    void anEmptyPcapDirectoryIsRefused() {
        Cli cli = Cli.run("run", RunCommandTest.scenario("boom-4.19").toString(), "--pcap", "", "-q");
        assertEquals(2, cli.exitCode(), cli.err());
        assertEquals(
                "kpsim: --pcap: the directory name is empty (name a directory, e.g. --pcap /tmp/captures)\n",
                cli.err());
    }

    @Test
    void withoutLibpcapPcapSaysWhichPackageAndMakesNothing() {
        Path caps = dir.resolve("caps");
        KpsimProcess.Result r = KpsimProcess.run(
                new ProcessBuilder(KpsimProcess.command(
                        List.of(),
                        List.of("-Dorg.pcap4j.core.pcapLibName=kpsim-no-such-libpcap"),
                        "run",
                        RunCommandTest.scenario("boom-4.19").toString(),
                        "--pcap",
                        caps.toString(),
                        "-q")),
                120);
        assertEquals(2, r.code(), r.err());
        assertEquals(
                "kpsim: --pcap: libpcap is not installed (no library 'kpsim-no-such-libpcap' found); it is in the"
                        + " Debian/Ubuntu package libpcap0.8: apt-get install libpcap0.8\n",
                r.err());
        assertFalse(r.err().contains("pcap_open_dead"), "not pcap4j's words");
        assertFalse(Files.exists(caps), "no directory was made");
    }
}
