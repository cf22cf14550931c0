package io.kpsim.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * Capture files written past the page cache ({@link BlockFile}) hold the same bytes as files
 * written through it, and as libpcap's own {@code pcap_dump()}: across many writes, part blocks
 * carried from one write to the next, the array growing, and records larger than a write.
 */
class BlockFileTest {

    @TempDir
    Path dir;

    @Test
    void theTempDirectoryTakesDirectWrites() throws IOException {
        Path file = dir.resolve("probe");
        Files.write(file, new byte[24]);
        try (BlockFile f = BlockFile.open(file, true, new byte[1 << 16])) {
            assumeTrue(f.direct(), "this file system takes no O_DIRECT; the other tests then check the cached path");
            assertEquals(24, f.headLength(), "the file's 24 bytes are handed back to be written again");
        }
        try (BlockFile f = BlockFile.open(file, false, new byte[1 << 16])) {
            assertFalse(f.direct());
            assertEquals(0, f.headLength(), "through the page cache the file is appended to as it is");
        }
    }

    @Test
    void recordsPastThePageCacheAreTheBytesOfCachedWrites() throws IOException {
        for (long seed = 1; seed <= 3; seed++) {
            byte[] head = new byte[24];
            new Random(seed).nextBytes(head);
            Path direct = dir.resolve("direct-" + seed);
            Path cached = dir.resolve("cached-" + seed);
            Files.write(direct, head);
            Files.write(cached, head);
            byte[] expected = writeRecords(direct, true, seed, head);
            assertArrayEquals(expected, writeRecords(cached, false, seed, head), "through the page cache");
            assertArrayEquals(expected, Files.readAllBytes(direct), "past the page cache, seed " + seed);
            assertArrayEquals(expected, Files.readAllBytes(cached), "through the page cache, seed " + seed);
        }
    }

    /** Writes random records (a few larger than the array) and returns the file's expected bytes. */
    private static byte[] writeRecords(Path file, boolean direct, long seed, byte[] head) throws IOException {
        Random random = new Random(seed);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(head, 0, head.length);
        RecordBuffer out = RecordBuffer.append(file, RecordBuffer.DEFAULT_SIZE, direct);
        for (int i = 0; i < 6_000; i++) {
            int captured = random.nextInt(50) == 0 ? 70_000 + random.nextInt(200_000) : random.nextInt(3_000);
            int at = out.reserve(RecordBuffer.HEADER + captured);
            byte[] frame = new byte[captured];
            random.nextBytes(frame);
            System.arraycopy(frame, 0, out.array(), at + RecordBuffer.HEADER, captured);
            long t = 1_700_000_000_000_000_000L + i * 1_001L;
            out.commit(at, t, captured, captured + 4);
            ByteBuffer header = ByteBuffer.allocate(RecordBuffer.HEADER).order(ByteOrder.nativeOrder());
            header.putInt((int) (t / 1_000_000_000L)).putInt((int) (t % 1_000_000_000L));
            header.putInt(captured).putInt(captured + 4);
            expected.write(header.array(), 0, RecordBuffer.HEADER);
            expected.write(frame, 0, captured);
        }
        out.close();
        return expected.toByteArray();
    }

    @Test
    void aFileTurnedToThePageCacheMidwayKeepsEveryByte() throws IOException {
        // what a slow device makes a file do (a write still under way when the next is due)
        Random random = new Random(11);
        byte[] head = new byte[24];
        random.nextBytes(head);
        Path file = dir.resolve("turned");
        Files.write(file, head);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 20];
        int held;
        try (BlockFile f = BlockFile.open(file, true, buffer)) {
            held = f.headLength();
            System.arraycopy(buffer, 0, head, 0, held);
            expected.write(head, 0, held);
            for (int round = 0; round < 40; round++) {
                held = appendRandom(random, expected, buffer, held);
                int written = f.write(buffer, held);
                System.arraycopy(buffer, written, buffer, 0, held - written);
                held -= written;
                if (round == 20) {
                    f.toPageCache(); // with a direct write most likely under way
                    assertFalse(f.direct());
                }
            }
            f.finish(buffer, held);
        }
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file));
    }

    @Test
    void afterTheTurnTheRunsThreadNoLongerWritesTheFile() throws IOException {
        // once turned to the page cache, the writes still leave from the writer thread: an interrupt
        // of the run's thread, which closes a FileChannel it is writing to, leaves the file whole
        Random random = new Random(12);
        Path file = dir.resolve("behind");
        Files.write(file, new byte[24]);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(new byte[24], 0, 24);
        byte[] buffer = new byte[1 << 20];
        try (BlockFile f = BlockFile.open(file, true, buffer)) {
            assumeTrue(f.direct(), "this file system takes no O_DIRECT: there is no turn");
            int held = f.headLength();
            for (int round = 0; round < 12; round++) {
                held = appendRandom(random, expected, buffer, held);
                if (round == 4) {
                    f.toPageCache();
                }
                if (round > 4) {
                    Thread.currentThread().interrupt();
                }
                int written = f.write(buffer, held);
                assertEquals(round > 4, Thread.interrupted(), "an interrupt is kept for the run to see");
                System.arraycopy(buffer, written, buffer, 0, held - written);
                held -= written;
            }
            f.finish(buffer, held);
        }
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file));
    }

    @Test
    void theWriterMatchesLibpcapsDumperFrameForFrame() throws Exception {
        Random random = new Random(17);
        int frames = 5_000;
        byte[][] frame = new byte[frames][];
        long[] nanos = new long[frames];
        for (int i = 0; i < frames; i++) {
            frame[i] = new byte[14 + random.nextInt(1_501)];
            random.nextBytes(frame[i]);
            nanos[i] = 1_700_000_000_000_000_000L + i * 123_457L + random.nextInt(1_000);
        }
        Path ours = dir.resolve("ours.pcap");
        try (PcapWriter w = PcapWriter.create(ours, LinkType.ETHERNET)) {
            for (int i = 0; i < frames; i++) {
                w.writeFrame(nanos[i], frame[i]);
            }
        }
        Path libpcap = dir.resolve("libpcap.pcap");
        PcapHandle handle =
                Pcaps.openDead(DataLinkType.EN10MB, PcapWriter.SNAP_LENGTH, PcapHandle.TimestampPrecision.NANO);
        try {
            PcapDumper dumper = handle.dumpOpen(libpcap.toString());
            for (int i = 0; i < frames; i++) {
                Timestamp t = new Timestamp(nanos[i] / 1_000_000L);
                t.setNanos((int) (nanos[i] % 1_000_000_000L));
                dumper.dumpRaw(frame[i], t);
            }
            dumper.close();
        } finally {
            handle.close();
        }
        byte[] expected = Files.readAllBytes(libpcap);
        assertEquals(24 + 16L * frames, expected.length - sum(frame), "libpcap wrote every frame whole");
        assertArrayEquals(expected, Files.readAllBytes(ours));
    }

    private static long sum(byte[][] frames) {
        long n = 0;
        for (byte[] f : frames) {
            n += f.length;
        }
        return n;
    }

    /** Appends 1 to 300,000 random bytes to what the file should hold and to the buffer after {@code held}. */
    private static int appendRandom(Random random, ByteArrayOutputStream expected, byte[] buffer, int held) {
        int n = 1 + random.nextInt(300_000);
        byte[] chunk = new byte[n];
        random.nextBytes(chunk);
        expected.write(chunk, 0, n);
        System.arraycopy(chunk, 0, buffer, held, n);
        return held + n;
    }
}
