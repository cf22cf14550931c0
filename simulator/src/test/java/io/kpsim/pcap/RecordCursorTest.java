package io.kpsim.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;

/**
 * {@code pcap_next_ex()} through {@link RecordCursor} gives the records pcap4j's own reading gives:
 * the same bytes, the same wire lengths and the same nanosecond timestamps, on pcap (either byte
 * order, µs or ns) and pcapng, with snapped, empty and large frames (a frame over libpcap's initial
 * 2 KiB buffer makes it reallocate, so the data pointer moves).
 */
class RecordCursorTest {

    private static final long T0 = 1_700_000_000_123_456_789L;

    @TempDir
    Path dir;

    private static List<CaptureRecord> readWithKpsim(Path file) {
        List<CaptureRecord> records = new ArrayList<>();
        try (PcapReader reader = PcapReader.open(file)) {
            for (CaptureRecord r : reader) {
                records.add(r);
            }
        }
        return records;
    }

    private void assertSameAsPcap4j(CaptureFiles file, String what, int expectedRecords) throws Exception {
        Path path = file.writeTo(dir.resolve(what));
        List<Pcap4jRecord> expected = Pcap4jRecord.readAll(path);
        List<CaptureRecord> actual = readWithKpsim(path);
        assertEquals(expectedRecords, expected.size(), what + ": records pcap4j read");
        assertEquals(expected.size(), actual.size(), what + ": records");
        for (int i = 0; i < expected.size(); i++) {
            Pcap4jRecord e = expected.get(i);
            CaptureRecord a = actual.get(i);
            assertEquals(i, a.index(), what);
            assertEquals(e.timestampNanos(), a.timestampNanos(), what + " record " + i + " timestamp");
            assertEquals(e.originalLength(), a.originalLength(), what + " record " + i + " length");
            assertArrayEquals(e.frame(), a.frame(), what + " record " + i + " bytes");
        }
    }

    /** Frames of many sizes, some cut short by a pretend snap length, with irregular timestamps. */
    private static List<byte[]> frames(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int length = switch (i % 7) {
                case 0 -> 0;
                case 3 -> 2048 + random.nextInt(30_000);
                default -> 14 + random.nextInt(1500);
            };
            byte[] frame = new byte[length];
            random.nextBytes(frame);
            frames.add(frame);
        }
        return frames;
    }

    private static CaptureFiles pcap(ByteOrder order, boolean nanos, List<byte[]> frames) {
        CaptureFiles file = CaptureFiles.pcap(1, order, nanos);
        long t = T0;
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            if (i % 5 == 4 && f.length > 60) {
                file.record(t, f, 60, f.length); // snapped: 60 bytes stored of a longer wire frame
            } else {
                file.record(t, f);
            }
            t += 999_999_937L * (i % 3) + 1;
        }
        return file;
    }

    @Test
    void pcapFilesInEitherByteOrderAndResolutionReadAsPcap4jReadsThem() throws Exception {
        List<byte[]> frames = frames(300, 7);
        assertSameAsPcap4j(pcap(ByteOrder.LITTLE_ENDIAN, true, frames), "ns-le.pcap", 300);
        assertSameAsPcap4j(pcap(ByteOrder.BIG_ENDIAN, true, frames), "ns-be.pcap", 300);
        assertSameAsPcap4j(pcap(ByteOrder.LITTLE_ENDIAN, false, frames), "us-le.pcap", 300);
        assertSameAsPcap4j(pcap(ByteOrder.BIG_ENDIAN, false, frames), "us-be.pcap", 300);
    }

    @Test
    void pcapngFilesReadAsPcap4jReadsThem() throws Exception {
        for (boolean nanos : new boolean[] {true, false}) {
            CaptureFiles file = CaptureFiles.pcapng(1, nanos);
            long t = T0;
            for (byte[] f : frames(200, 11)) {
                file.enhancedPacket(t, f);
                t += 1_234_567_891L;
            }
            assertSameAsPcap4j(file, "file-" + nanos + ".pcapng", 200);
        }
    }

    @Test
    void extremeTimestampsReadAsPcap4jReadsThem() throws Exception {
        byte[] frame = LinkLayer.encode(LinkType.ETHERNET, Packets.syn());
        long maxSecond = 0x7fffffffL * 1_000_000_000L;
        long allOnes = 0xffffffffL * 1_000_000_000L; // libpcap reads ts_sec as a bpf_int32: -1 s
        for (boolean nanos : new boolean[] {true, false}) {
            CaptureFiles file = CaptureFiles.pcap(1, ByteOrder.LITTLE_ENDIAN, nanos)
                    .record(0, frame)
                    .record(999_999_999L, frame)
                    .record(maxSecond + 999_999_999L, frame)
                    .record(allOnes + 999_999_999L, frame);
            assertSameAsPcap4j(file, "extreme-" + nanos + ".pcap", 4);
            List<CaptureRecord> records = readWithKpsim(dir.resolve("extreme-" + nanos + ".pcap"));
            long fraction = nanos ? 999_999_999L : 999_999_000L;
            assertEquals(0, records.get(0).timestampNanos());
            assertEquals(fraction, records.get(1).timestampNanos());
            assertEquals(maxSecond + fraction, records.get(2).timestampNanos());
            assertEquals(-1_000_000_000L + fraction, records.get(3).timestampNanos());
        }
    }

    /**
     * A nanosecond file whose fraction field holds a second or more: pcap4j's {@code Timestamp.setNanos()}
     * threw inside its callback, so the record was lost (the records after it shifted down an index)
     * with a stack trace on stderr. libpcap passes the field on as it is; no sound file has one, so
     * kpsim reports it as a corrupt record header, with its index, after the records before it.
     */
    @Test
    void aFractionFieldOfASecondOrMoreIsACorruptRecordNotLostNorAdded() throws Exception {
        byte[] frame = LinkLayer.encode(LinkType.ETHERNET, Packets.syn());
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(16)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(11)
                .putInt(1_500_000_000)
                .putInt(frame.length)
                .putInt(frame.length);
        Path path = CaptureFiles.pcap(1, ByteOrder.LITTLE_ENDIAN, true)
                .record(10_000_000_005L, frame)
                .raw(header.array())
                .raw(frame)
                .record(12_000_000_007L, frame)
                .writeTo(dir.resolve("fraction.pcap"));
        List<CaptureRecord> records = new java.util.ArrayList<>();
        CaptureException e;
        try (PcapReader reader = PcapReader.open(path)) {
            e = org.junit.jupiter.api.Assertions.assertThrows(CaptureException.class, () -> {
                for (CaptureRecord r : reader) {
                    records.add(r);
                }
            });
        }
        assertEquals(1, records.size(), "the record before it");
        assertEquals(10_000_000_005L, records.get(0).timestampNanos());
        assertEquals(1, e.recordIndex());
        assertEquals(
                path + ": record 1 has a timestamp whose fraction of a second (1500000000 ns) is not below one"
                        + " second: a corrupt record header",
                e.getMessage());
    }

    @Test
    void theCursorPullsEachRecordThenReportsTheEnd() throws Exception {
        List<byte[]> frames = frames(40, 3);
        Path path = pcap(ByteOrder.LITTLE_ENDIAN, true, frames).writeTo(dir.resolve("cursor.pcap"));
        List<Pcap4jRecord> expected = Pcap4jRecord.readAll(path);
        try (PcapHandle handle = Pcaps.openOffline(path.toString(), PcapHandle.TimestampPrecision.NANO)) {
            RecordCursor cursor = RecordCursor.on(handle);
            for (Pcap4jRecord e : expected) {
                assertEquals(PcapNextEx.RECORD, cursor.next());
                assertEquals(e.timestampNanos(), cursor.timestampNanos);
                assertEquals(e.originalLength(), cursor.originalLength);
                assertArrayEquals(e.frame(), cursor.frame);
            }
            assertEquals(PcapNextEx.END, cursor.next());
            assertEquals(PcapNextEx.END, cursor.next(), "and stays at the end");
        }
        assertTrue(
                expected.stream().anyMatch(r -> r.frame().length > 2048), "a frame larger than libpcap's first buffer");
        assertTrue(expected.stream().anyMatch(r -> r.frame().length == 0), "an empty frame");
        assertTrue(expected.stream().anyMatch(r -> r.frame().length < r.originalLength()), "a snapped frame");
    }
}
