package io.kpsim.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.Packet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Captures from real networks hold anything: the decoder must turn every byte string into a packet
 * or a skip reason, never an exception. Seeded, so a failure reproduces.
 */
class DecoderFuzzTest {

    private static final Packet[] SEEDS = {
        Packets.syn(),
        Packets.synAck(),
        Packets.data(1, 300),
        Packets.sack(),
        Packets.udp(),
        Packets.ping(),
        Packets.unreachableQuotingTcp(),
        Packets.unreachableQuotingUdp()
    };

    @Test
    void mutatedFramesDecodeOrSkipButNeverThrow() {
        SplittableRandom random = new SplittableRandom(20240611);
        int decoded = 0;
        int skipped = 0;
        for (int round = 0; round < 60_000; round++) {
            LinkType type = LinkType.values()[random.nextInt(LinkType.values().length)];
            byte[] frame = LinkLayer.encode(type, SEEDS[random.nextInt(SEEDS.length)]);
            int flips = 1 + random.nextInt(6);
            for (int f = 0; f < flips; f++) {
                frame[random.nextInt(frame.length)] = (byte) random.nextInt(256);
            }
            int length = random.nextInt(4) == 0 ? random.nextInt(frame.length + 1) : frame.length;
            DecodedPacket d = LinkLayer.decode(type, frame, length, random.nextBoolean());
            assertNotNull(d);
            assertTrue(d.isSkipped() == (d.skipped() != null));
            if (d.isSkipped()) {
                skipped++;
            } else {
                decoded++;
                assertNotNull(d.packet().summary());
            }
        }
        assertTrue(decoded > 10_000 && skipped > 5_000, decoded + " decoded, " + skipped + " skipped");
    }

    @Test
    void randomBytesDecodeOrSkipButNeverThrow() {
        SplittableRandom random = new SplittableRandom(99);
        for (int round = 0; round < 30_000; round++) {
            byte[] frame = new byte[random.nextInt(120)];
            random.nextBytes(frame);
            if (frame.length > 0 && random.nextBoolean()) {
                frame[0] = (byte) (0x45 + random.nextInt(11)); // mostly-plausible IPv4 header lengths
            }
            DecodedPacket d = Ipv4Decoder.decode(frame, 0, frame.length, random.nextBoolean());
            assertNotNull(d);
        }
    }

    @Test
    void reencodingADecodedPacketGivesTheSameHeaders() {
        for (Packet p : SEEDS) {
            if (p.icmp() != null && p.icmp().isError()) {
                continue; // the quote keeps only 8 bytes of layer 4, so it cannot re-encode identically
            }
            byte[] wire = Ipv4Encoder.encode(p);
            Packet back = Ipv4Decoder.decode(wire, 0, wire.length).packet();
            assertEquals(java.util.Arrays.toString(wire), java.util.Arrays.toString(Ipv4Encoder.encode(back)));
        }
    }
}
