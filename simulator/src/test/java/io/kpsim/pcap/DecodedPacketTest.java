package io.kpsim.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.Packet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Checksums are summed on first ask ({@link DecodedPacket}): the answers must be the ones the
 * decoder gave when it summed them while decoding, on good and damaged datagrams alike.
 */
class DecodedPacketTest {

    private static final Packet[] SEEDS = {
        Packets.syn(),
        Packets.synAck(),
        Packets.data(1, 300),
        Packets.data(9, 1),
        Packets.sack(),
        Packets.udp(),
        Packets.ping(),
        Packets.unreachableQuotingTcp(),
        Packets.unreachableQuotingUdp()
    };

    /**
     * {@code {ipChecksumValid, l4ChecksumValid}} as {@code Ipv4Decoder} computed them eagerly before
     * they became lazy, for a datagram it decoded (not skipped) at {@code offset}.
     */
    private static boolean[] eager(byte[] b, int offset, int length, boolean snapped) {
        int headerLength = (b[offset] & 0x0f) * 4;
        boolean ipValid = InternetChecksum.of(b, offset, headerLength) == 0;
        int total = Bytes.getShort(b, offset + 2);
        int protocol = b[offset + 9] & 0xff;
        int srcIp = Bytes.getInt(b, offset + 12);
        int dstIp = Bytes.getInt(b, offset + 16);
        int l4 = offset + headerLength;
        int l4Length = total - headerLength;
        int l4Present = Math.min(total, length) - headerLength;
        boolean whole = l4Present == l4Length;
        long seed;
        switch (protocol) {
            case 6 -> seed = InternetChecksum.pseudoHeader(srcIp, dstIp, protocol, l4Length);
            case 17 -> {
                if (Bytes.getShort(b, l4 + 6) == 0) {
                    return new boolean[] {ipValid, true};
                }
                l4Length = Bytes.getShort(b, l4 + 4);
                whole = l4Present >= l4Length;
                seed = InternetChecksum.pseudoHeader(srcIp, dstIp, protocol, l4Length);
            }
            case 1 -> seed = 0;
            default -> {
                return new boolean[] {ipValid, true};
            }
        }
        boolean l4Valid = !whole || InternetChecksum.finish(InternetChecksum.add(seed, b, l4, l4Length)) == 0;
        return new boolean[] {ipValid, l4Valid};
    }

    @Test
    void lazyChecksumsAreTheEagerOnesOnGoodAndDamagedDatagrams() {
        SplittableRandom random = new SplittableRandom(4711);
        int[] outcomes = new int[4];
        for (int round = 0; round < 40_000; round++) {
            byte[] datagram = Ipv4Encoder.encode(SEEDS[random.nextInt(SEEDS.length)]);
            int offset = random.nextInt(3) * 7; // some link header in front
            byte[] frame = new byte[offset + datagram.length + random.nextInt(3) * 5]; // and link padding after
            System.arraycopy(datagram, 0, frame, offset, datagram.length);
            int flips = random.nextInt(3);
            for (int f = 0; f < flips; f++) {
                frame[offset + random.nextInt(datagram.length)] ^= (byte) (1 << random.nextInt(8));
            }
            boolean snapped = random.nextInt(5) == 0;
            int length = snapped ? 20 + random.nextInt(frame.length - offset - 19) : frame.length - offset;
            DecodedPacket d = Ipv4Decoder.decode(frame, offset, length, snapped);
            if (d.isSkipped()) {
                continue;
            }
            boolean[] expected = eager(frame, offset, length, snapped);
            boolean askL4First = random.nextBoolean();
            boolean l4 = askL4First ? d.l4ChecksumValid() : false;
            assertEquals(expected[0], d.ipChecksumValid(), "IPv4 checksum, round " + round);
            assertEquals(expected[1], askL4First ? l4 : d.l4ChecksumValid(), "layer-4 checksum, round " + round);
            assertEquals(expected[0] && expected[1], d.checksumsValid(), "round " + round);
            outcomes[(expected[0] ? 2 : 0) + (expected[1] ? 1 : 0)]++;
        }
        for (int outcome : outcomes) {
            assertTrue(
                    outcome > 1_000,
                    "each combination of valid and invalid is exercised: " + java.util.Arrays.toString(outcomes));
        }
    }

    @Test
    void checksumsAreSummedOnFirstAskAndThenKept() {
        byte[] wire = Ipv4Encoder.encode(Packets.data(5, 100));
        DecodedPacket asked = Ipv4Decoder.decode(wire, 0, wire.length);
        DecodedPacket notAsked = Ipv4Decoder.decode(wire, 0, wire.length);
        assertTrue(asked.ipChecksumValid());
        assertTrue(asked.l4ChecksumValid());
        wire[wire.length - 1] ^=
                0x40; // breaks the rule that a decoded frame does not change, to show when summing happens
        wire[8]--;
        assertTrue(asked.l4ChecksumValid(), "kept from the first ask");
        assertTrue(asked.ipChecksumValid(), "kept from the first ask");
        assertFalse(notAsked.l4ChecksumValid(), "summed now, from the frame as it is now");
        assertFalse(notAsked.ipChecksumValid(), "summed now, from the frame as it is now");
    }

    @Test
    void snappedAndChecksumlessDatagramsNeedNoSumming() {
        byte[] wire = Ipv4Encoder.encode(Packets.data(1001, 1400));
        wire[wire.length - 1] ^= 1;
        DecodedPacket snapped = Ipv4Decoder.decode(wire, 0, 96, true);
        assertFalse(snapped.l4ChecksumChecked());
        assertTrue(snapped.l4ChecksumValid(), "unchecked is reported valid");
        byte[] udp = Ipv4Encoder.encode(Packets.udp());
        Bytes.putShort(udp, 26, 0);
        DecodedPacket none = Ipv4Decoder.decode(udp, 0, udp.length);
        assertTrue(none.l4ChecksumChecked());
        assertTrue(none.l4ChecksumValid(), "RFC 768: no checksum sent");
    }

    @Test
    void equalityHashAndTextAreByValueAsForARecord() {
        byte[] wire = Ipv4Encoder.encode(Packets.syn());
        DecodedPacket lazy = Ipv4Decoder.decode(wire, 0, wire.length);
        DecodedPacket known = new DecodedPacket(Packets.syn(), null, true, true, true);
        assertEquals(known, lazy);
        assertEquals(known.hashCode(), lazy.hashCode());
        assertEquals(known.toString(), lazy.toString());
        assertEquals(
                "DecodedPacket[packet=" + Packets.syn() + ", skipped=null, ipChecksumValid=true, "
                        + "l4ChecksumValid=true, l4ChecksumChecked=true]",
                lazy.toString());
        assertNotEquals(new DecodedPacket(Packets.syn(), null, true, false, true), lazy);
        assertEquals(DecodedPacket.skip("IP fragment"), DecodedPacket.skip("IP fragment"));
        assertFalse(DecodedPacket.skip("IP fragment").checksumsValid());
    }
}
