package io.kpsim.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kpsim.packet.Packet;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {

    private static final long T0 = 1_700_000_000_000_000_001L;

    @TempDir
    Path dir;

    private static final Packet[] PACKETS = {
        Packets.syn(),
        Packets.synAck(),
        Packets.data(1001, 100),
        Packets.sack(),
        Packets.udp(),
        Packets.ping(),
        Packets.unreachableQuotingTcp(),
        Packets.unreachableQuotingUdp()
    };

    private Path writeSample(String name, LinkType type) {
        Path path = dir.resolve(name);
        try (PcapWriter writer = PcapWriter.create(path, type)) {
            for (int i = 0; i < PACKETS.length; i++) {
                writer.write(T0 + i * 999L, PACKETS[i]);
            }
            assertEquals(PACKETS.length, writer.count());
            assertEquals(type, writer.linkType());
        }
        return path;
    }

    @Test
    void writtenFilesReadBackWithNanosecondTimestamps() {
        for (LinkType type : LinkType.values()) {
            Path path = writeSample("out-" + type + ".pcap", type);
            try (PcapReader reader = PcapReader.open(path)) {
                assertEquals(type, reader.linkType());
                for (int i = 0; i < PACKETS.length; i++) {
                    CaptureRecord r = reader.next();
                    assertEquals(T0 + i * 999L, r.timestampNanos(), type + " record " + i);
                    assertArrayEquals(LinkLayer.encode(type, PACKETS[i]), r.frame(), type + " record " + i);
                    assertEquals(PACKETS[i].summary(), r.packet().summary(), type + " record " + i);
                    assertTrue(r.decoded().checksumsValid());
                }
                assertEquals(null, reader.next());
            }
        }
    }

    @Test
    void fileHeaderIsNanosecondPcapWithTheLinkType() throws IOException {
        Path path = writeSample("raw.pcap", LinkType.RAW);
        ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.nativeOrder());
        assertEquals(CaptureFiles.MAGIC_NANOS, header.getInt(0));
        assertEquals(101, header.getInt(20), "LINKTYPE_RAW in the file, not DLT_RAW");
    }

    @Test
    void rawFramesAreWrittenAsGiven() {
        Path path = dir.resolve("frames.pcap");
        byte[] arp = new byte[42];
        Bytes.putShort(arp, 12, 0x0806);
        try (PcapWriter writer = PcapWriter.create(path)) {
            writer.writeFrame(0, arp);
            writer.writeFrame(1_999_999_999L, LinkLayer.encode(LinkType.ETHERNET, Packets.syn()));
        }
        try (PcapReader reader = PcapReader.open(path)) {
            CaptureRecord first = reader.next();
            assertArrayEquals(arp, first.frame());
            assertEquals(0, first.timestampNanos());
            assertEquals("not IPv4 (ethertype 0x0806)", first.skipped());
            CaptureRecord second = reader.next();
            assertEquals(1_999_999_999L, second.timestampNanos());
            assertEquals(Packets.syn(), second.packet());
        }
    }

    @Test
    void aSnapLengthKeepsTheHeadersAndTheOriginalLength() throws IOException {
        Path path = dir.resolve("snapped.pcap");
        Packet data = Packets.data(1001, 1400);
        byte[] frame = LinkLayer.encode(LinkType.ETHERNET, data);
        try (PcapWriter writer = PcapWriter.create(path, LinkType.ETHERNET, 128)) {
            assertEquals(128, writer.snapLength());
            writer.write(T0, data);
            writer.write(T0 + 1, Packets.syn());
        }
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.nativeOrder());
        assertEquals(128, file.getInt(16), "the file header's snaplen");
        assertEquals(24 + 16 + 128 + 16 + LinkLayer.encode(LinkType.ETHERNET, Packets.syn()).length, file.capacity());
        try (PcapReader reader = PcapReader.open(path)) {
            CaptureRecord r = reader.next();
            assertTrue(r.snapped());
            assertEquals(frame.length, r.originalLength(), "the wire length is kept, as tcpdump -s 128 does");
            assertArrayEquals(java.util.Arrays.copyOf(frame, 128), r.frame());
            assertEquals(data.summary(), r.packet().summary(), "the headers are all there");
            CaptureRecord syn = reader.next();
            assertFalse(syn.snapped(), "a frame shorter than the snap length is whole");
            assertEquals(Packets.syn(), syn.packet());
        }
        try (PcapWriter whole =
                PcapWriter.create(dir.resolve("whole.pcap"), LinkType.ETHERNET, PcapWriter.WHOLE_FRAMES)) {
            assertEquals(PcapWriter.SNAP_LENGTH, whole.snapLength());
        }
        assertThrows(IllegalArgumentException.class, () -> PcapWriter.create(dir.resolve("x.pcap"), LinkType.RAW, -1));
    }

    @Test
    void recordsCrossingManyBufferFlushesReadBackInOrderAndWhole() {
        int[] snaps = {60, 128, PcapWriter.WHOLE_FRAMES};
        for (int snap : snaps) {
            Path path = dir.resolve("many-" + snap + ".pcap");
            List<Packet> written = new ArrayList<>();
            try (PcapWriter writer = PcapWriter.create(path, LinkType.ETHERNET, snap)) {
                for (int i = 0; i < 3_000; i++) {
                    Packet p = i % 7 == 6 ? PACKETS[i % PACKETS.length] : Packets.data(i * 1460, (i * 37) % 1461);
                    writer.write(T0 + i, p);
                    written.add(p);
                    if (i == 1_000) { // a packet the encoder refuses leaves no trace in the file
                        Packet tooLong = Packets.data(1, Ipv4Encoder.MAX_DATAGRAM);
                        assertThrows(IllegalArgumentException.class, () -> writer.write(T0 + 1_000, tooLong));
                    }
                }
                assertEquals(written.size(), writer.count());
            }
            try (PcapReader reader = PcapReader.open(path)) {
                int keep = snap == PcapWriter.WHOLE_FRAMES ? Integer.MAX_VALUE : snap;
                for (int i = 0; i < written.size(); i++) {
                    CaptureRecord r = reader.next();
                    byte[] whole = LinkLayer.encode(LinkType.ETHERNET, written.get(i));
                    assertEquals(T0 + i, r.timestampNanos(), "snap " + snap + " record " + i);
                    assertEquals(whole.length, r.originalLength(), "snap " + snap + " record " + i);
                    assertArrayEquals(
                            java.util.Arrays.copyOf(whole, Math.min(keep, whole.length)),
                            r.frame(),
                            "snap " + snap + " record " + i);
                }
                assertEquals(null, reader.next());
            }
        }
    }

    @Test
    void badInputIsRejected() {
        try (PcapWriter writer = PcapWriter.create(dir.resolve("n.pcap"))) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> writer.write(-1, Packets.syn()));
            assertTrue(e.getMessage().contains("negative timestamp -1 ns"), e.getMessage());
        }
        Path nowhere = dir.resolve("no/such/dir/x.pcap");
        CaptureException e = assertThrows(CaptureException.class, () -> PcapWriter.create(nowhere));
        assertEquals(nowhere + ": cannot create (No such file or directory)", e.getMessage());
    }

    @Test
    void tcpdumpReadsTheWritersOutput() throws Exception {
        Path tcpdump = findOnPath("tcpdump");
        assumeTrue(
                tcpdump != null,
                "tcpdump is not installed (not on PATH and not in /usr/sbin, /usr/bin): "
                        + "cannot check that it reads kpsim's pcap files");
        for (LinkType type : LinkType.values()) {
            Path path = writeSample("dump-" + type + ".pcap", type);
            Process p = new ProcessBuilder(
                            tcpdump.toString(),
                            "-r",
                            path.toString(),
                            "-nn",
                            "-vv",
                            "--time-stamp-precision=nano",
                            "-tt")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            assertFalse(out.contains("(incorrect"), "tcpdump found a bad checksum:\n" + out);
            assertFalse(out.contains("bad"), out);
            assertTrue(out.contains("1700000000.000000001 "), "nanosecond timestamp survives:\n" + out);
            assertTrue(out.contains("10.0.0.2.40001 > 10.96.0.10.80: Flags [S], cksum"), out);
            assertTrue(out.contains("options [mss 1460,sackOK,TS val 123456 ecr 0,nop,wscale 7]"), out);
            assertTrue(out.contains("[udp sum ok]"), out);
            assertTrue(out.contains("ICMP echo request, id 16962, seq 7, length 64"), out);
            assertTrue(out.contains("ICMP 10.96.0.10 tcp port 80 unreachable"), out);
            assertTrue(out.contains("ICMP 10.96.0.10 udp port 53 unreachable"), out);
            assertEquals(PACKETS.length, countMatches("\n" + out, "\n1700000000."), "every packet printed:\n" + out);
        }
    }

    private static int countMatches(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    static Path findOnPath(String program) {
        List<String> dirs =
                new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add("/usr/sbin");
        dirs.add("/usr/bin");
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(d, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
