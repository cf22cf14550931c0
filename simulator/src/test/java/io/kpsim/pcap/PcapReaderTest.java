package io.kpsim.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.Packet;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapReaderTest {

    private static final long T0 = 1_700_000_000_123_456_789L;

    @TempDir
    Path dir;

    private static List<CaptureRecord> readAll(Path file) {
        List<CaptureRecord> records = new ArrayList<>();
        try (PcapReader reader = PcapReader.open(file)) {
            for (CaptureRecord r : reader) {
                records.add(r);
            }
            assertNull(reader.next(), "stays at the end");
        }
        return records;
    }

    private void assertReadsBack(CaptureFiles file, LinkType type, String what, long resolution) throws IOException {
        Path path = file.writeTo(dir.resolve(what + ".cap"));
        try (PcapReader reader = PcapReader.open(path)) {
            assertEquals(type, reader.linkType(), what);
        }
        List<CaptureRecord> records = readAll(path);
        assertEquals(3, records.size(), what);
        Packet[] expected = {Packets.syn(), Packets.synAck(), Packets.udp()};
        for (int i = 0; i < 3; i++) {
            CaptureRecord r = records.get(i);
            assertEquals(i, r.index(), what);
            assertEquals(expected[i], r.packet(), what + " record " + i);
            assertTrue(r.decoded().checksumsValid(), what);
            assertEquals((T0 + i * 1001L) / resolution * resolution, r.timestampNanos(), what + " timestamp " + i);
            assertArrayEquals(LinkLayer.encode(type, expected[i]), r.frame(), what);
        }
    }

    private static CaptureFiles threePackets(CaptureFiles file, LinkType type, boolean pcapng) {
        Packet[] packets = {Packets.syn(), Packets.synAck(), Packets.udp()};
        for (int i = 0; i < packets.length; i++) {
            byte[] frame = LinkLayer.encode(type, packets[i]);
            if (pcapng) {
                file.enhancedPacket(T0 + i * 1001L, frame);
            } else {
                file.record(T0 + i * 1001L, frame);
            }
        }
        return file;
    }

    @Test
    void everyLinkTypeReadsFromHandBuiltPcapFiles() throws IOException {
        for (LinkType type : LinkType.values()) {
            assertReadsBack(
                    threePackets(CaptureFiles.pcap(type.linkType(), ByteOrder.LITTLE_ENDIAN, true), type, false),
                    type,
                    "pcap-ns-" + type,
                    1);
        }
    }

    @Test
    void microsecondAndBigEndianPcapFilesRead() throws IOException {
        assertReadsBack(
                threePackets(CaptureFiles.pcap(1, ByteOrder.LITTLE_ENDIAN, false), LinkType.ETHERNET, false),
                LinkType.ETHERNET,
                "pcap-us-le",
                1000);
        assertReadsBack(
                threePackets(CaptureFiles.pcap(276, ByteOrder.BIG_ENDIAN, false), LinkType.LINUX_SLL2, false),
                LinkType.LINUX_SLL2,
                "pcap-us-be",
                1000);
        assertReadsBack(
                threePackets(CaptureFiles.pcap(12, ByteOrder.BIG_ENDIAN, true), LinkType.RAW, false),
                LinkType.RAW,
                "pcap-dlt-raw-12",
                1);
    }

    @Test
    void pcapngFilesRead() throws IOException {
        for (LinkType type : LinkType.values()) {
            assertReadsBack(
                    threePackets(CaptureFiles.pcapng(type.linkType(), true), type, true), type, "pcapng-ns-" + type, 1);
        }
        assertReadsBack(
                threePackets(CaptureFiles.pcapng(1, false), LinkType.ETHERNET, true),
                LinkType.ETHERNET,
                "pcapng-us",
                1000);
    }

    @Test
    void pcapngBlocksThatAreNotPacketsArePassedOver() throws IOException {
        byte[] nameResolution = {1, 0, 8, 0, 10, 0, 0, 2, 'p', 'o', 'd', 0, 0, 0, 0, 0}; // nrb_record_ipv4, end
        byte[] statistics = new byte[12]; // interface 0, timestamp 0, no options
        CaptureFiles file = CaptureFiles.pcapng(1, true)
                .enhancedPacket(T0, LinkLayer.encode(LinkType.ETHERNET, Packets.syn()))
                .block(4, nameResolution)
                .block(0x40000bad, new byte[] {1, 2, 3, 4, 5})
                .enhancedPacket(T0 + 1001, LinkLayer.encode(LinkType.ETHERNET, Packets.synAck()))
                .block(5, statistics);
        List<CaptureRecord> records = readAll(file.writeTo(dir.resolve("blocks.pcapng")));
        assertEquals(2, records.size());
        assertEquals(Packets.syn(), records.get(0).packet());
        assertEquals(1, records.get(1).index());
        assertEquals(Packets.synAck(), records.get(1).packet());
        assertEquals(T0 + 1001, records.get(1).timestampNanos());
    }

    @Test
    void skippedAndSnappedRecordsAreReported() throws IOException {
        byte[] ipv6 = LinkLayer.encode(LinkType.ETHERNET, Packets.syn());
        Bytes.putShort(ipv6, 12, 0x86dd);
        byte[] big = LinkLayer.encode(LinkType.ETHERNET, Packets.data(1, 1400));
        CaptureFiles file = CaptureFiles.pcap(1, ByteOrder.LITTLE_ENDIAN, true)
                .record(T0, ipv6)
                .record(T0 + 1, big, 96, big.length);
        List<CaptureRecord> records = readAll(file.writeTo(dir.resolve("mixed.pcap")));
        assertTrue(records.get(0).isSkipped());
        assertEquals("not IPv4 (ethertype 0x86dd)", records.get(0).skipped());
        CaptureRecord snapped = records.get(1);
        assertTrue(snapped.snapped());
        assertEquals(96, snapped.frame().length);
        assertEquals(big.length, snapped.originalLength());
        assertEquals(Packets.data(1, 1400), snapped.packet());
        assertFalse(snapped.decoded().l4ChecksumChecked());
    }

    @Test
    void manyRecordsStreamAcrossDispatchBatches() throws IOException {
        CaptureFiles file = CaptureFiles.pcap(101, ByteOrder.LITTLE_ENDIAN, true);
        int n = ReadAheadPump.MAX_BATCH * 3 + 17;
        for (int i = 0; i < n; i++) {
            file.record(T0 + i, LinkLayer.encode(LinkType.RAW, Packets.data(i, i % 50)));
        }
        List<CaptureRecord> records = readAll(file.writeTo(dir.resolve("many.pcap")));
        assertEquals(n, records.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i, records.get(i).index());
            assertEquals(T0 + i, records.get(i).timestampNanos());
            assertEquals(i, records.get(i).packet().tcp().seq());
        }
    }

    @Test
    void closingMidFileStopsReadingAhead() throws IOException {
        CaptureFiles file = CaptureFiles.pcap(101, ByteOrder.LITTLE_ENDIAN, true);
        byte[] frame = LinkLayer.encode(LinkType.RAW, Packets.syn());
        for (int i = 0; i < ReadAheadPump.MAX_BATCH * 12; i++) {
            file.record(T0 + i, frame);
        }
        Path path = file.writeTo(dir.resolve("long.pcap"));
        PcapReader reader = PcapReader.open(path);
        assertEquals(0, reader.next().index());
        reader.close();
        assertNull(reader.next(), "a closed reader has no more records");
        boolean pumpAlive = Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("kpsim-pcap-reader " + path) && t.isAlive());
        assertFalse(pumpAlive, "the read-ahead thread ends with close()");
    }

    @Test
    void closingWhileTheReadAheadThreadIsInLibpcapNeverUsesAFreedHandle() throws IOException {
        CaptureFiles file = CaptureFiles.pcap(101, ByteOrder.LITTLE_ENDIAN, true);
        byte[] frame = LinkLayer.encode(LinkType.RAW, Packets.data(1, 1000));
        for (int i = 0; i < ReadAheadPump.MAX_BATCH * 4; i++) {
            file.record(T0 + i, frame);
        }
        Path path = file.writeTo(dir.resolve("churn.pcap"));
        for (int round = 0; round < 60; round++) {
            PcapReader reader = PcapReader.open(path);
            for (int i = 0; i < round * 37; i++) {
                assertEquals(i, reader.next().index());
            }
            reader.close(); // a use after pcap_close() would crash the JVM, not fail the test
            assertNull(reader.next());
        }
    }

    @Test
    void missingFile() {
        Path missing = dir.resolve("x.pcap");
        CaptureException e = assertThrows(CaptureException.class, () -> PcapReader.open(missing));
        assertEquals(missing + ": no such file", e.getMessage());
        assertEquals(-1, e.recordIndex());
    }

    @Test
    void notACapture() throws IOException {
        Path text = Files.writeString(dir.resolve("x.txt"), "hello, this is not a capture file\n");
        CaptureException e = assertThrows(CaptureException.class, () -> PcapReader.open(text));
        assertEquals(text + ": not a pcap or pcapng file", e.getMessage());
    }

    @Test
    void emptyAndShortFiles() throws IOException {
        Path empty = Files.write(dir.resolve("empty.pcap"), new byte[0]);
        assertEquals(
                empty + ": not a pcap or pcapng file (file header truncated)",
                assertThrows(CaptureException.class, () -> PcapReader.open(empty))
                        .getMessage());
        byte[] header = CaptureFiles.pcap(1, ByteOrder.LITTLE_ENDIAN, false).bytes();
        Path half = Files.write(dir.resolve("half.pcap"), java.util.Arrays.copyOf(header, 10));
        assertEquals(
                half + ": not a pcap or pcapng file (file header truncated)",
                assertThrows(CaptureException.class, () -> PcapReader.open(half))
                        .getMessage());
    }

    @Test
    void directory() {
        assertEquals(
                dir + ": is a directory",
                assertThrows(CaptureException.class, () -> PcapReader.open(dir)).getMessage());
    }

    @Test
    void truncatedRecordNamesItsIndexAfterTheGoodOnes() throws IOException {
        byte[] frame = LinkLayer.encode(LinkType.ETHERNET, Packets.syn());
        CaptureFiles file = threePackets(CaptureFiles.pcap(1, ByteOrder.LITTLE_ENDIAN, true), LinkType.ETHERNET, false)
                .record(T0 + 9, java.util.Arrays.copyOf(frame, 20), frame.length, frame.length);
        Path path = file.writeTo(dir.resolve("x.pcap"));
        try (PcapReader reader = PcapReader.open(path)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(i, reader.next().index());
            }
            CaptureException e = assertThrows(CaptureException.class, reader::next);
            assertEquals(path + ": record 3 is truncated", e.getMessage());
            assertEquals(3, e.recordIndex());
            assertNull(reader.next(), "the end after the error");
        }
    }

    @Test
    void truncatedRecordAfterManyBatchesComesAfterEveryRecordBeforeIt() throws IOException {
        CaptureFiles file = CaptureFiles.pcap(101, ByteOrder.LITTLE_ENDIAN, true);
        int good = ReadAheadPump.MAX_BATCH * 2 + 77;
        for (int i = 0; i < good; i++) {
            file.record(T0 + i, LinkLayer.encode(LinkType.RAW, Packets.data(i, i % 30)));
        }
        byte[] frame = LinkLayer.encode(LinkType.RAW, Packets.syn());
        Path path = file.record(T0 + good, java.util.Arrays.copyOf(frame, 9), frame.length, frame.length)
                .writeTo(dir.resolve("late.pcap"));
        try (PcapReader reader = PcapReader.open(path)) {
            for (int i = 0; i < good; i++) {
                CaptureRecord r = reader.next();
                assertEquals(i, r.index());
                assertEquals(T0 + i, r.timestampNanos());
                assertEquals(i, r.packet().tcp().seq());
            }
            CaptureException e = assertThrows(CaptureException.class, reader::next);
            assertEquals(path + ": record " + good + " is truncated", e.getMessage());
            assertEquals(good, e.recordIndex());
            assertNull(reader.next());
        }
    }

    @Test
    void checksumsSummedAheadAreTheOnesSummedOnAsking() throws IOException {
        Packet[] packets = {Packets.data(1, 200), Packets.udp(), Packets.ping(), Packets.syn()};
        CaptureFiles file = CaptureFiles.pcap(1, ByteOrder.LITTLE_ENDIAN, true);
        for (int i = 0; i < 40; i++) {
            byte[] frame = LinkLayer.encode(LinkType.ETHERNET, packets[i % packets.length]);
            switch (i % 5) {
                case 1 -> frame[frame.length - 1] ^= 0x20; // layer-4 bytes
                case 2 -> frame[14 + 8]--; // TTL: the IPv4 header only
                case 3 -> frame[14 + 19] ^= 1; // destination address: both
                default -> {
                    // intact
                }
            }
            file.record(T0 + i, frame);
        }
        Path path = file.writeTo(dir.resolve("damaged.pcap"));
        List<CaptureRecord> onAsking = readAll(path);
        List<CaptureRecord> ahead = new ArrayList<>();
        try (PcapReader reader = PcapReader.open(path, true)) {
            for (CaptureRecord r : reader) {
                ahead.add(r);
            }
        }
        assertEquals(40, ahead.size());
        for (int i = 0; i < 40; i++) {
            DecodedPacket a = ahead.get(i).decoded();
            assertEquals(onAsking.get(i).decoded(), a, "record " + i);
            assertEquals(i % 5 != 2 && i % 5 != 3, a.ipChecksumValid(), "record " + i);
            boolean pseudoHeader = packets[i % packets.length].icmp() == null; // ICMP's checksum has none
            assertEquals(i % 5 != 1 && !(i % 5 == 3 && pseudoHeader), a.l4ChecksumValid(), "record " + i);
        }
    }

    @Test
    void truncatedRecordHeader() throws IOException {
        CaptureFiles file = threePackets(CaptureFiles.pcap(1, ByteOrder.LITTLE_ENDIAN, true), LinkType.ETHERNET, false)
                .raw(new byte[] {1, 2, 3, 4, 5});
        Path path = file.writeTo(dir.resolve("y.pcap"));
        CaptureException e = assertThrows(CaptureException.class, () -> readAll(path));
        assertEquals(path + ": record 3 is truncated", e.getMessage());
    }

    @Test
    void truncatedPcapngBlock() throws IOException {
        CaptureFiles full = threePackets(CaptureFiles.pcapng(1, true), LinkType.ETHERNET, true);
        byte[] bytes = full.bytes();
        Path path = Files.write(dir.resolve("z.pcapng"), java.util.Arrays.copyOf(bytes, bytes.length - 30));
        CaptureException e = assertThrows(CaptureException.class, () -> readAll(path));
        assertEquals(path + ": record 2 is truncated", e.getMessage());
    }

    @Test
    void unsupportedLinkType() throws IOException {
        Path wifi = CaptureFiles.pcap(105, ByteOrder.LITTLE_ENDIAN, false).writeTo(dir.resolve("x.pcap"));
        assertEquals(
                wifi + ": unsupported link type 105 (IEEE802_11); kpsim reads Ethernet, raw IPv4, Linux cooked v1/v2",
                assertThrows(CaptureException.class, () -> PcapReader.open(wifi))
                        .getMessage());
        Path ng = CaptureFiles.pcapng(127, false).writeTo(dir.resolve("r.pcapng"));
        assertEquals(
                ng
                        + ": unsupported link type 127 (IEEE802_11_RADIO); kpsim reads Ethernet, raw IPv4, Linux cooked v1/v2",
                assertThrows(CaptureException.class, () -> PcapReader.open(ng)).getMessage());
    }

    @Test
    void errorMessagesAreOneLine() throws IOException {
        Path text = Files.write(dir.resolve("bin.dat"), "\u0000\u0001garbage".getBytes(StandardCharsets.ISO_8859_1));
        String message = assertThrows(CaptureException.class, () -> PcapReader.open(text))
                .getMessage();
        assertFalse(message.contains("\n"), message);
        assertTrue(message.startsWith(text.toString() + ": "), message);
    }
}
