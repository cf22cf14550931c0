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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kpsim replay} end to end: output formats and every bad-input error as one line, exit 2. */
class ReplayCommandTest {

    private static final String SERVICE = "10.96.0.10:80=10.244.2.3:8080";

    @TempDir
    Path dir;

    private Path synCapture() {
        Path file = dir.resolve("syn.pcap");
        try (PcapWriter w = PcapWriter.create(file)) {
            w.write(
                    1_000_000_000L,
                    Packet.tcp(
                            Ip4.parse("10.244.1.2"),
                            Ip4.parse("10.96.0.10"),
                            new TcpSegment(
                                    40001, 80, 1000, 0, TcpFlags.SYN, 64240, 0, TcpOptions.syn(1460, 7, true), 0)));
        }
        return file;
    }

    /** A classic pcap header with the given link type, then the given record bytes. */
    private Path rawCapture(String name, int linkType, byte[] records) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24 + records.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4)
                .putShort((short) 2)
                .putShort((short) 4)
                .putInt(0)
                .putInt(0)
                .putInt(65535)
                .putInt(linkType)
                .put(records);
        return Files.write(dir.resolve(name), b.array());
    }

    private static void assertOneLineError(Cli cli, String... fragments) {
        assertEquals(2, cli.exitCode(), cli.err());
        assertEquals(1, cli.errLines().length, "exactly one line: " + cli.err());
        for (String f : fragments) {
            assertTrue(cli.err().contains(f), "'" + f + "' in: " + cli.err());
        }
        assertFalse(cli.err().contains("\tat "), "no stack trace");
    }

    @Test
    void jsonlPrintsOneObjectPerRecord() {
        Cli cli = Cli.run(
                "replay",
                "--service",
                SERVICE,
                "--format",
                "jsonl",
                synCapture().toString());
        assertEquals(0, cli.exitCode(), cli.err());
        String expected = "{\"file\":\"" + dir.resolve("syn.pcap") + "\",\"index\":0,\"ts\":\"1.000000000\","
                + "\"src\":\"10.244.1.2:40001\",\"dst\":\"10.96.0.10:80\",\"proto\":\"tcp\",\"flags\":\"S\","
                + "\"seq\":1000,\"ack\":0,\"len\":0,\"ctstate\":\"NEW\","
                + "\"ctdir\":\"ORIGINAL\",\"tcp_state\":\"SYN_SENT\",\"verdict\":\"ACCEPT\","
                + "\"out_src\":\"10.244.1.2:40001\",\"out_dst\":\"10.244.2.3:8080\",\"reason\":null,"
                + "\"observed\":null}\n";
        assertEquals(expected, cli.out());
    }

    @Test
    void jsonlWrittenAsBytesUnderTheWriterEqualsTheWriterForm() {
        String[] args = {
            "replay",
            "--service",
            SERVICE,
            "--format",
            "jsonl",
            synCapture().toString(),
            synCapture().toString()
        };
        StringWriter writerOut = new StringWriter();
        ByteArrayOutputStream rawOut = new ByteArrayOutputStream();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(rawOut, StandardCharsets.UTF_8));
        int code = Main.execute(out, new PrintWriter(writerOut), rawOut, args);
        assertEquals(0, code, writerOut.toString());
        assertEquals(Cli.run(args).out(), rawOut.toString(StandardCharsets.UTF_8));
        assertEquals(2, rawOut.toString(StandardCharsets.UTF_8).lines().count());
    }

    @Test
    void jsonlPrintsTheRecordsBeforeABadOneAsBytesToo() throws IOException {
        ByteBuffer rec = ByteBuffer.allocate(16 + 10).order(ByteOrder.LITTLE_ENDIAN);
        rec.putInt(1).putInt(0).putInt(60).putInt(60).put(new byte[10]);
        Path cut = rawCapture("cut2.pcap", 101, rec.array());
        ByteArrayOutputStream rawOut = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code = Main.execute(
                new PrintWriter(new OutputStreamWriter(rawOut, StandardCharsets.UTF_8)),
                new PrintWriter(err),
                rawOut,
                "replay",
                "--service",
                SERVICE,
                "--format",
                "jsonl",
                synCapture().toString(),
                cut.toString());
        assertEquals(2, code);
        assertEquals(1, rawOut.toString(StandardCharsets.UTF_8).lines().count(), "the good file's line first");
        assertTrue(err.toString().contains("cut2.pcap"), err.toString());
    }

    @Test
    void textReadsLikeTcpdumpWithTheVerdictAndASummary() {
        Cli cli = Cli.run("replay", "--service", SERVICE, synCapture().toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.out().contains("IP 10.244.1.2.40001 > 10.96.0.10.80: Flags [S], seq 1000"), cli.out());
        assertTrue(
                cli.out().contains("NEW         ORIGINAL SYN_SENT    ACCEPT  10.244.1.2:40001 > 10.244.2.3:8080  DNAT"),
                cli.out());
        assertTrue(cli.out().contains("1 packet: NEW 1; dropped 0; skipped 0"), cli.out());
    }

    @Test
    void missingFile() {
        assertOneLineError(
                Cli.run("replay", "--service", SERVICE, dir.resolve("nope.pcap").toString()),
                "nope.pcap",
                "no such file");
    }

    @Test
    void notACapture() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello, this is not a capture file at all\n");
        assertOneLineError(
                Cli.run("replay", "--service", SERVICE, text.toString()), "notes.txt", "not a pcap or pcapng file");
    }

    @Test
    void truncatedRecord() throws IOException {
        ByteBuffer rec = ByteBuffer.allocate(16 + 10).order(ByteOrder.LITTLE_ENDIAN);
        rec.putInt(1).putInt(0).putInt(60).putInt(60).put(new byte[10]);
        Path file = rawCapture("cut.pcap", 101, rec.array());
        assertOneLineError(
                Cli.run("replay", "--service", SERVICE, file.toString()), "cut.pcap", "record 0", "truncated");
    }

    @Test
    void unsupportedLinkType() throws IOException {
        Path file = rawCapture("wifi.pcap", 105, new byte[0]);
        assertOneLineError(
                Cli.run("replay", "--service", SERVICE, file.toString()), "wifi.pcap", "unsupported link type 105");
    }

    @Test
    void malformedService() {
        assertOneLineError(
                Cli.run("replay", "--service", "10.96.0.10:80", synCapture().toString()),
                "--service '10.96.0.10:80'",
                "missing '='");
        assertOneLineError(
                Cli.run(
                        "replay",
                        "--service",
                        "10.96.0.300:80=10.0.0.1:80",
                        synCapture().toString()),
                "not an IPv4 address");
        assertOneLineError(
                Cli.run(
                        "replay",
                        "--service",
                        "10.96.0.1:80=10.0.0.1:70000",
                        synCapture().toString()),
                "port 70000 is not in 1..65535");
    }

    @Test
    void unknownSysctlAndValueOutOfRange() {
        assertOneLineError(
                Cli.run(
                        "replay",
                        "--sysctl",
                        "net.netfilter.nf_conntrack_tcp_be_liberl=1",
                        synCapture().toString()),
                "unknown sysctl",
                "did you mean");
        assertOneLineError(
                Cli.run(
                        "replay",
                        "--sysctl",
                        "net.netfilter.nf_conntrack_tcp_be_liberal=7",
                        synCapture().toString()),
                "out of range");
        assertOneLineError(
                Cli.run(
                        "replay",
                        "--kernel",
                        "4.19",
                        "--sysctl",
                        "net.netfilter.nf_conntrack_tcp_ignore_invalid_rst=1",
                        synCapture().toString()),
                "4.19");
    }

    @Test
    void aUnameStringSaysWhichProfileModelsIt() {
        Cli c = Cli.run(
                "replay",
                "--kernel",
                "5.15.0-91-generic",
                "--service",
                "10.96.0.10:80=10.244.2.3:8080",
                synCapture().toString());
        assertEquals(0, c.exitCode(), c.err());
        assertTrue(c.err().contains("kpsim: --kernel 5.15.0-91-generic: "), c.err());
        assertTrue(c.err().contains("5.15"), c.err());
    }

    @Test
    void unknownKernelAndOption() {
        assertOneLineError(Cli.run("replay", "--kernel", "3.10", synCapture().toString()), "--kernel", "3.10");
        assertOneLineError(Cli.run("replay", "--frobnicate", synCapture().toString()), "--frobnicate");
    }
}
