package io.kpsim.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kpsim.packet.Packet;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kpsim's own reader ({@link PcapReader}: {@link PcapFileSource}, {@link PcapngFileSource}) against
 * pcap4j (libpcap's reader) as the oracle, record by record and byte for byte: every link type
 * kpsim decodes, in pcap of either byte order and resolution, and in pcapng of either byte order
 * with microsecond, nanosecond and binary ({@code if_tsresol} 2^-30) timestamps, an
 * {@code if_tsoffset}, two interfaces, snapped frames, Simple Packet Blocks, and the blocks a reader
 * passes over (name resolution, interface statistics, custom).
 */
class Pcap4jAgreementTest {

    private static final long T0 = 1_700_000_000_123_456_789L;

    @TempDir
    Path dir;

    private void assertAgree(byte[] file, String what, int expectedRecords) throws Exception {
        Path path = Files.write(dir.resolve(what), file);
        List<Pcap4jRecord> expected = Pcap4jRecord.readAll(path);
        assertEquals(expectedRecords, expected.size(), what + ": records libpcap read");
        try (PcapReader reader = PcapReader.open(path)) {
            for (int i = 0; i < expected.size(); i++) {
                CaptureRecord a = reader.next();
                Pcap4jRecord e = expected.get(i);
                assertEquals(i, a.index(), what);
                assertEquals(e.timestampNanos(), a.timestampNanos(), what + " record " + i + " timestamp");
                assertEquals(e.originalLength(), a.originalLength(), what + " record " + i + " length");
                assertArrayEquals(e.frame(), a.frame(), what + " record " + i + " bytes");
            }
            assertEquals(null, reader.next(), what + ": no record beyond libpcap's");
        }
    }

    /** Frames of the link type: the test packets encoded, random bytes, an empty frame, a jumbo one. */
    private static List<byte[]> frames(LinkType type, SplittableRandom random) {
        List<byte[]> frames = new ArrayList<>();
        for (Packet p : List.of(Packets.syn(), Packets.synAck(), Packets.udp(), Packets.sack(), Packets.ping())) {
            frames.add(LinkLayer.encode(type, p));
        }
        for (int i = 0; i < 40; i++) {
            byte[] b = new byte[random.nextInt(i == 0 ? 1 : 1600)];
            random.nextBytes(b);
            frames.add(b);
        }
        byte[] big = new byte[9000];
        random.nextBytes(big);
        frames.add(big);
        return frames;
    }

    private static ByteBuffer buffer(int size, ByteOrder order) {
        return ByteBuffer.allocate(size).order(order);
    }

    /** A pcap file; every third frame snapped to 60 bytes, as a short snap length leaves it. */
    private static byte[] pcap(int linkType, ByteOrder order, boolean nanos, List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int magic = nanos ? CaptureFiles.MAGIC_NANOS : CaptureFiles.MAGIC_MICROS;
        write(
                out,
                buffer(24, order)
                        .putInt(magic)
                        .putShort((short) 2)
                        .putShort((short) 4)
                        .putLong(0)
                        .putInt(65_535)
                        .putInt(linkType));
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            int captured = i % 3 == 2 ? Math.min(60, f.length) : f.length;
            long ts = T0 + i * 1_000_003L;
            long fraction = ts % 1_000_000_000L;
            write(
                    out,
                    buffer(16, order)
                            .putInt((int) (ts / 1_000_000_000L))
                            .putInt((int) (nanos ? fraction : fraction / 1000))
                            .putInt(captured)
                            .putInt(f.length));
            out.write(f, 0, captured);
        }
        return out.toByteArray();
    }

    /** pcapng blocks in one byte order. */
    private static final class Pcapng {
        final ByteOrder order;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pcapng(ByteOrder order) {
            this.order = order;
            write(
                    out,
                    buffer(28, order)
                            .putInt(0x0A0D0D0A)
                            .putInt(28)
                            .putInt(0x1A2B3C4D)
                            .putShort((short) 1)
                            .putShort((short) 0)
                            .putLong(-1L)
                            .putInt(28));
        }

        /** An interface: {@code tsresol} is the {@code if_tsresol} byte (or -1 for none), with an offset. */
        Pcapng iface(int linkType, int tsresol, long tsoffset) {
            ByteBuffer options = buffer(64, order);
            byte[] name = "eth0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            options.putShort((short) 2).putShort((short) name.length).put(name);
            if (tsresol >= 0) {
                options.putShort((short) 9)
                        .putShort((short) 1)
                        .put((byte) tsresol)
                        .put(new byte[3]);
            }
            if (tsoffset != 0) {
                options.putShort((short) 14).putShort((short) 8).putLong(tsoffset);
            }
            options.putInt(0);
            return block(
                    1,
                    buffer(8 + options.position(), order)
                            .putShort((short) linkType)
                            .putShort((short) 0)
                            .putInt(262_144)
                            .put(options.array(), 0, options.position()));
        }

        Pcapng enhanced(int iface, long units, byte[] frame, int captured, int flags) {
            int padded = (captured + 3) & ~3;
            ByteBuffer b = buffer(20 + padded + 12, order)
                    .putInt(iface)
                    .putInt((int) (units >>> 32))
                    .putInt((int) units)
                    .putInt(captured)
                    .putInt(frame.length)
                    .put(frame, 0, captured)
                    .put(new byte[padded - captured]);
            b.putShort((short) 2).putShort((short) 4).putInt(flags).putInt(0);
            return block(6, b);
        }

        Pcapng simple(byte[] frame) {
            int padded = (frame.length + 3) & ~3;
            return block(
                    3, buffer(4 + padded, order).putInt(frame.length).put(frame).put(new byte[padded - frame.length]));
        }

        Pcapng block(int type, ByteBuffer body) {
            int padded = (body.position() + 3) & ~3;
            write(
                    out,
                    buffer(12 + padded, order)
                            .putInt(type)
                            .putInt(12 + padded)
                            .put(body.array(), 0, body.position())
                            .put(new byte[padded - body.position()])
                            .putInt(12 + padded));
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    private static void write(ByteArrayOutputStream out, ByteBuffer b) {
        out.write(b.array(), 0, b.position());
    }

    @Test
    void pcapOfEveryLinkTypeByteOrderAndResolution() throws Exception {
        SplittableRandom random = new SplittableRandom(12);
        for (LinkType type : LinkType.values()) {
            List<byte[]> frames = frames(type, random);
            for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
                for (boolean nanos : new boolean[] {false, true}) {
                    String what = type + "-" + order + (nanos ? "-ns" : "-us") + ".pcap";
                    assertAgree(pcap(type.linkType(), order, nanos, frames), what, frames.size());
                }
            }
        }
    }

    @Test
    void pcapngOfEveryLinkTypeByteOrderAndResolution() throws Exception {
        SplittableRandom random = new SplittableRandom(13);
        int[] resolutions = {-1, 6, 9, 0x80 | 30}; // default µs, µs, ns, binary 2^-30
        for (LinkType type : LinkType.values()) {
            List<byte[]> frames = frames(type, random);
            for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
                for (int r : resolutions) {
                    long perSecond = r == 9 ? 1_000_000_000L : r == (0x80 | 30) ? 1L << 30 : 1_000_000L;
                    Pcapng file = new Pcapng(order).iface(type.linkType(), r, r == 6 ? -3600 : 0);
                    // libpcap refuses a second LINKTYPE_RAW interface: it compares the block's link type
                    // (101) with the first one's after mapping it to DLT_RAW (12), and they differ.
                    boolean two = type != LinkType.RAW;
                    if (two) {
                        file.iface(type.linkType(), 9, 0);
                    }
                    int records = 0;
                    for (int i = 0; i < frames.size(); i++) {
                        byte[] f = frames.get(i);
                        long units = (1_700_000_000L + i) * perSecond + (i * 7919L) % perSecond;
                        int captured = i % 4 == 3 ? Math.min(54, f.length) : f.length;
                        boolean second = two && i % 2 == 1;
                        file.enhanced(
                                second ? 1 : 0,
                                !second ? units : (1_700_000_000L + i) * 1_000_000_000L + i,
                                f,
                                captured,
                                i % 3);
                        records++;
                        switch (i % 7) {
                            case 1 ->
                                file.block(
                                        4, buffer(8, order).putShort((short) 0).putShort((short) 0));
                            case 3 ->
                                file.block(
                                        5, buffer(12, order).putInt(0).putInt(0).putInt(0));
                            case 5 ->
                                file.block(
                                        0x40000BAD,
                                        buffer(8, order).putInt(32473).putInt(7));
                            default -> {
                                // a packet block follows directly
                            }
                        }
                    }
                    file.simple(frames.get(0));
                    records++;
                    String what = type + "-" + order + "-" + r + ".pcapng";
                    assertAgree(file.bytes(), what, records);
                }
            }
        }
    }
}
