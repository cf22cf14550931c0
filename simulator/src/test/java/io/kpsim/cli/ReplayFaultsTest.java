package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.UdpDatagram;
import io.kpsim.pcap.LinkLayer;
import io.kpsim.pcap.LinkType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures that lie: record headers that cannot be right, datagrams longer than their frame,
 * clocks that step back, bad checksums, and several files of which some are bad. Each is what the
 * kernel or libpcap would make of it, and a bad file never stops the others.
 */
class ReplayFaultsTest {

    private static final String SERVICE = "10.96.0.10:80=10.244.2.3:8080";
    /** The census line for a kpsim-written capture of one received frame. */
    private static final String CENSUS_ONE_RECEIVED = "Ethernet, its MACs are derived from the IP addresses (as kpsim"
            + " writes them): every frame is one the node received: 1 record: 1 received and replayed, 0 sent by the"
            + " node, 0 set aside";

    private static final int CLIENT = Ip4.parse("10.244.1.2");
    private static final int VIP = Ip4.parse("10.96.0.10");
    private static final int POD = Ip4.parse("10.244.2.3");
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    /** A pcap file, little-endian, Ethernet, microsecond or nanosecond, record by record. */
    private static final class Capture {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final boolean nanos;

        Capture(boolean nanos) {
            this.nanos = nanos;
            put(ByteBuffer.allocate(24)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4)
                    .putShort((short) 2)
                    .putShort((short) 4)
                    .putInt(0)
                    .putInt(0)
                    .putInt(262144)
                    .putInt(1));
        }

        /** A record with the given header fields and the first {@code captured} bytes of {@code frame}. */
        Capture record(long seconds, long fraction, byte[] frame, int captured, int original) {
            put(ByteBuffer.allocate(16)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt((int) seconds)
                    .putInt((int) fraction)
                    .putInt(captured)
                    .putInt(original));
            bytes.write(frame, 0, captured);
            return this;
        }

        Capture packet(long timestampNanos, Packet p) {
            byte[] frame = LinkLayer.encode(LinkType.ETHERNET, p);
            long fraction = timestampNanos % SECOND;
            return record(
                    timestampNanos / SECOND, nanos ? fraction : fraction / 1000, frame, frame.length, frame.length);
        }

        Path write(Path file) throws IOException {
            return Files.write(file, bytes.toByteArray());
        }

        private void put(ByteBuffer b) {
            bytes.write(b.array(), 0, b.position());
        }
    }

    private static Packet syn() {
        return Packet.tcp(
                CLIENT,
                VIP,
                new TcpSegment(40001, 80, 1000, 0, TcpFlags.SYN, 64240, 0, TcpOptions.syn(1460, 7, true), 0));
    }

    private static Packet data(int length) {
        return Packet.tcp(
                CLIENT, VIP, new TcpSegment(40001, 80, 1001, 1, TcpFlags.ACK, 502, 0, TcpOptions.NONE, length));
    }

    private Path good(String name) throws IOException {
        return new Capture(false).packet(SECOND, syn()).write(dir.resolve(name));
    }

    @Test
    void anOriginalLengthShorterThanTheCapturedBytesIsAOneLineError() throws IOException {
        byte[] frame = LinkLayer.encode(LinkType.ETHERNET, syn());
        Path file = new Capture(false)
                .packet(SECOND, syn())
                .record(2, 0, frame, frame.length, 40)
                .write(dir.resolve("short.pcap"));
        Cli cli = Cli.run("replay", "--service", SERVICE, "--format", "jsonl", file.toString());
        assertEquals(2, cli.exitCode(), cli.err());
        assertEquals(1, cli.out().lines().count(), "the record before it is replayed");
        assertEquals(
                "kpsim: " + file + ": record 1 has an original length (40 bytes) shorter than the " + frame.length
                        + " bytes captured: a corrupt record header\n",
                cli.err());
    }

    @Test
    void aNanosecondFractionOfOneSecondOrMoreIsAOneLineError() throws IOException {
        byte[] frame = LinkLayer.encode(LinkType.ETHERNET, syn());
        Path file = new Capture(true)
                .record(1, 1_000_000_000L, frame, frame.length, frame.length)
                .write(dir.resolve("ns.pcap"));
        Cli cli = Cli.run("replay", "--service", SERVICE, file.toString());
        assertEquals(2, cli.exitCode(), cli.err());
        assertEquals(
                "kpsim: " + file + ": record 0 has a timestamp whose fraction of a second (1000000000 ns) is not"
                        + " below one second: a corrupt record header\n",
                cli.err());
    }

    @Test
    void eachBadFileIsReportedAndTheRestAreReplayed() throws IOException {
        Path first = good("first.pcap");
        Path missing = dir.resolve("missing.pcap");
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a capture\n");
        Path last = good("last.pcap");
        Cli cli = Cli.run(
                "replay",
                "--service",
                SERVICE,
                "--format",
                "jsonl",
                first.toString(),
                missing.toString(),
                text.toString(),
                last.toString());
        assertEquals(2, cli.exitCode(), cli.err());
        List<String> lines = cli.out().lines().toList();
        assertEquals(2, lines.size(), cli.out());
        assertTrue(lines.get(0).contains("first.pcap") && lines.get(1).contains("last.pcap"), cli.out());
        assertEquals(
                List.of(
                        "kpsim: " + first + ": " + CENSUS_ONE_RECEIVED,
                        "kpsim: " + missing + ": no such file",
                        "kpsim: " + text + ": not a pcap or pcapng file",
                        "kpsim: " + last + ": " + CENSUS_ONE_RECEIVED,
                        "kpsim: 2 of 4 files could not be replayed: " + missing + ", " + text),
                List.of(cli.errLines()));
    }

    @Test
    void aDatagramLongerThanItsFrameOnTheWireIsDroppedBeforeConntrack() throws IOException {
        byte[] frame = LinkLayer.encode(LinkType.ETHERNET, data(1448));
        ByteBuffer.wrap(frame).putShort(14 + 2, (short) 8960); // the IPv4 total length claims a jumbo
        byte[] honest = LinkLayer.encode(LinkType.ETHERNET, data(1448));
        Path file = new Capture(false)
                .packet(SECOND, syn())
                .record(2, 0, frame, 128, frame.length) // snapped to 128: incl_len 128, orig_len 1502
                .record(3, 0, honest, 128, honest.length)
                .write(dir.resolve("jumbo.pcap"));
        Cli cli = Cli.run("replay", "--service", SERVICE, "--format", "jsonl", file.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        List<String> lines = cli.out().lines().toList();
        assertEquals(
                "{\"file\":\"" + file + "\",\"index\":1,\"skipped\":\"truncated IPv4 packet (total length 8960, 1488"
                        + " bytes on the wire): ip_rcv() drops it before conntrack\"}",
                lines.get(1));
        assertTrue(
                lines.get(2).contains("\"index\":2,\"ts\":") && lines.get(2).contains("\"ctstate\":"),
                "a snapped frame within its wire length reaches conntrack: " + lines.get(2));
    }

    @Test
    void aClockThatStepsBackPrintsWithASignAndDoesNotRunConntrackBackwards() throws IOException {
        Path file = new Capture(true)
                .packet(10 * SECOND, syn())
                .packet(10 * SECOND - 2_000_020_000L, syn())
                .write(dir.resolve("back.pcap"));
        Cli text = Cli.run("replay", "--service", SERVICE, file.toString());
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("\n    1 -2.000020 IP 10.244.1.2.40001 > 10.96.0.10.80: Flags [S]"), text.out());

        // A UDP exchange: the reply stamped 990 s early. Were conntrack's clock set back to it, the
        // entry's timeout would count from there and be long gone at the next packet, a NEW one.
        Packet out = Packet.udp(CLIENT, VIP, new UdpDatagram(40001, 80, 10));
        Packet back = Packet.udp(POD, CLIENT, new UdpDatagram(8080, 40001, 10));
        Path udp = new Capture(false)
                .packet(1000 * SECOND, out)
                .packet(10 * SECOND, back)
                .packet(1001 * SECOND, out)
                .write(dir.resolve("udp.pcap"));
        Cli jsonl = Cli.run("replay", "--service", SERVICE, "--format", "jsonl", udp.toString());
        assertEquals(0, jsonl.exitCode(), jsonl.err());
        List<String> lines = jsonl.out().lines().toList();
        assertTrue(lines.get(0).contains("\"ctstate\":\"NEW\",\"ctdir\":\"ORIGINAL\""), lines.get(0));
        assertTrue(lines.get(1).contains("\"ctstate\":\"ESTABLISHED\",\"ctdir\":\"REPLY\""), lines.get(1));
        assertTrue(lines.get(2).contains("\"ctstate\":\"ESTABLISHED\",\"ctdir\":\"ORIGINAL\""), lines.get(2));
    }

    @Test
    void verifyChecksumsChecksTheIpv4HeaderAsIpRcvDoesAndLayer4AsConntrackDoes() throws IOException {
        byte[] badIp = LinkLayer.encode(LinkType.ETHERNET, syn());
        badIp[14 + 10] ^= 0x55; // IPv4 header checksum
        byte[] badTcp = LinkLayer.encode(LinkType.ETHERNET, syn());
        badTcp[14 + 20 + 16] ^= 0x55; // TCP checksum
        Path file = new Capture(false)
                .record(1, 0, badIp, badIp.length, badIp.length)
                .record(2, 0, badTcp, badTcp.length, badTcp.length)
                .write(dir.resolve("sums.pcap"));
        Cli checked =
                Cli.run("replay", "--service", SERVICE, "--format", "jsonl", "--verify-checksums", file.toString());
        assertEquals(0, checked.exitCode(), checked.err());
        List<String> lines = checked.out().lines().toList();
        assertEquals(
                "{\"file\":\"" + file + "\",\"index\":0,\"skipped\":\"bad IPv4 header checksum: ip_rcv() drops it"
                        + " before conntrack\"}",
                lines.get(0));
        assertTrue(lines.get(1).contains("\"ctstate\":\"INVALID\""), lines.get(1));
        Cli trusting = Cli.run("replay", "--service", SERVICE, "--format", "jsonl", file.toString());
        assertFalse(trusting.out().contains("skipped"), "without the option, checksums are trusted: " + trusting.out());
    }

    @Test
    void aWriteErrorAfterABadRecordKeepsTheCapturesErrorFirst() throws IOException {
        byte[] frame = LinkLayer.encode(LinkType.ETHERNET, syn());
        Path file = new Capture(false)
                .packet(SECOND, syn())
                .record(2, 0, frame, frame.length, 40)
                .write(dir.resolve("bad.pcap"));
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("the disk went away");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("the disk went away");
            }
        };
        StringWriter err = new StringWriter();
        int code = Main.execute(
                new PrintWriter(new OutputStreamWriter(failing, StandardCharsets.UTF_8)),
                new PrintWriter(err),
                failing,
                "replay",
                "--service",
                SERVICE,
                "--format",
                "jsonl",
                file.toString());
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().startsWith("kpsim: " + file + ": record 1 has an original length"), err.toString());
        assertFalse(err.toString().contains("the disk went away"), "the first error is told, not the one it caused");
    }
}
