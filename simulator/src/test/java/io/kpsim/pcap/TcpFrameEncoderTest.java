package io.kpsim.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kpsim.packet.Packet;
import io.kpsim.packet.SackBlock;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The capture writer's TCP fast path sums its checksums from field values instead of bytes and
 * writes into a buffer full of earlier records: every byte a record keeps must still be the one
 * {@link LinkLayer#encode(LinkType, Packet)} writes for the whole frame, whatever the fields,
 * options, payload length, snap length, link type and position in the buffer. The fields reach
 * it packed as {@link TcpHeaderWords}, here among stale words, as a run's log of them hands them in.
 */
class TcpFrameEncoderTest {

    private static final long SEED = 0x7063617077L;

    @Test
    void randomSegmentsEncodeToTheGeneralEncodersBytes() {
        Random random = new Random(SEED);
        byte[] out = new byte[70_000 + TcpFrameEncoder.MAX_HEADERS];
        int[] snaps = {1, 13, 14, 33, 54, 66, 96, 128, 1514, 262_144};
        for (int i = 0; i < 20_000; i++) {
            Packet p = randomSegment(random);
            LinkType type = LinkType.values()[random.nextInt(LinkType.values().length)];
            int snap = snaps[random.nextInt(snaps.length)];
            random.nextBytes(out); // stale bytes of earlier records must not show through
            int at = random.nextInt(64);
            byte[] filler = filler(Math.min(snap, Ipv4Encoder.MAX_DATAGRAM));
            byte[] whole = LinkLayer.encode(type, p);
            int length = encode(type, p, out, at, snap, filler);
            assertEquals(whole.length, length, p.summary());
            int kept = Math.min(length, snap);
            assertArrayEquals(
                    Arrays.copyOf(whole, kept),
                    Arrays.copyOfRange(out, at, at + kept),
                    type + " " + p + " snap " + snap);
        }
    }

    @Test
    void wholeFramesCarryValidChecksumsForEveryPayloadLength() {
        byte[] out = new byte[70_000];
        byte[] filler = filler(Ipv4Encoder.MAX_DATAGRAM);
        for (int payload = 0; payload <= 3_000; payload++) {
            Packet p = Packets.data(7, payload);
            int length = encode(LinkType.ETHERNET, p, out, 0, PcapWriter.SNAP_LENGTH, filler);
            DecodedPacket decoded = LinkLayer.decode(LinkType.ETHERNET, Arrays.copyOf(out, length), length, false);
            assertEquals(true, decoded.checksumsValid(), "payload " + payload);
            assertArrayEquals(LinkLayer.encode(LinkType.ETHERNET, p), Arrays.copyOf(out, length), "payload " + payload);
        }
    }

    @Test
    void refusesWhatTheGeneralEncoderRefusesWithItsWords() {
        Packet tooLong = Packets.data(1, Ipv4Encoder.MAX_DATAGRAM);
        IllegalArgumentException fast = assertThrows(
                IllegalArgumentException.class,
                () -> TcpHeaderWords.put(new long[TcpHeaderWords.MAX_WORDS], 0, tooLong, tooLong.tcp()));
        IllegalArgumentException general =
                assertThrows(IllegalArgumentException.class, () -> LinkLayer.encode(LinkType.ETHERNET, tooLong));
        assertEquals(general.getMessage(), fast.getMessage());

        TcpOptions crowded = TcpOptions.syn(1460, 7, false)
                .withTimestamps(1, 2)
                .withSackBlocks(
                        List.of(new SackBlock(1, 2), new SackBlock(3, 4), new SackBlock(5, 6), new SackBlock(7, 8)));
        Packet options = Packet.tcp(Packets.CLIENT, Packets.SERVER, new TcpSegment(1, 2, 3, 4, 0x10, 5, 0, crowded, 0));
        fast = assertThrows(
                IllegalArgumentException.class,
                () -> TcpHeaderWords.put(new long[TcpHeaderWords.MAX_WORDS], 0, options, options.tcp()));
        general = assertThrows(IllegalArgumentException.class, () -> LinkLayer.encode(LinkType.ETHERNET, options));
        assertEquals(general.getMessage(), fast.getMessage());
    }

    /** Packs {@code p} at a random place among random words and frames it from there. */
    private static int encode(LinkType type, Packet p, byte[] out, int at, int snap, byte[] filler) {
        Random r = new Random(p.hashCode());
        long[] words = new long[3 * TcpHeaderWords.MAX_WORDS];
        for (int i = 0; i < words.length; i++) {
            words[i] = r.nextLong();
        }
        int w = r.nextInt(TcpHeaderWords.MAX_WORDS);
        int packed = TcpHeaderWords.MIN_WORDS + p.tcp().options().sackBlocks().size();
        assertEquals(packed, TcpHeaderWords.put(words, w, p, p.tcp()));
        assertEquals(packed, TcpHeaderWords.words(words, w));
        return TcpFrameEncoder.encode(type, words, w, out, at, snap, filler);
    }

    /** Any field value a segment may hold, options in every combination, payloads short and long. */
    private static Packet randomSegment(Random r) {
        int mss = r.nextBoolean() ? r.nextInt(0x10000) : TcpOptions.ABSENT;
        int scale = r.nextBoolean() ? r.nextInt(256) : TcpOptions.ABSENT;
        boolean timestamps = r.nextBoolean();
        boolean sackPermitted = r.nextBoolean();
        List<SackBlock> blocks = new ArrayList<>();
        int room = 40 - (mss >= 0 ? 4 : 0) - (timestamps ? 12 : sackPermitted ? 4 : 0) - (scale >= 0 ? 4 : 0);
        int most = Math.min(4, (room - 4) / 8);
        for (int n = most <= 0 ? 0 : r.nextInt(most + 1); n > 0; n--) {
            blocks.add(new SackBlock(r.nextInt(), r.nextInt()));
        }
        TcpOptions options = new TcpOptions(mss, scale, sackPermitted, blocks, timestamps, r.nextInt(), r.nextInt());
        int payload = switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> r.nextInt(100);
            case 2 -> 1460;
            default -> r.nextInt(65_000 - 80);
        };
        TcpSegment s = new TcpSegment(
                r.nextInt(0x10000),
                r.nextInt(0x10000),
                r.nextInt(),
                r.nextInt(),
                r.nextInt(0x100),
                r.nextInt(0x10000),
                r.nextInt(0x10000),
                options,
                payload);
        return new Packet(r.nextInt(), r.nextInt(), r.nextInt(256), r.nextInt(0x10000), r.nextInt(256), s);
    }

    private static byte[] filler(int length) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) {
            f[i] = Ipv4Encoder.FILLER[i % Ipv4Encoder.FILLER.length];
        }
        return f;
    }
}
