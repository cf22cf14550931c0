package io.kpsim.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.Packet;
import io.kpsim.packet.UdpDatagram;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A capture writer encodes only the bytes a record keeps, into one reused buffer, and sums the
 * payload filler without writing it: the kept bytes must be those of the whole frame, checksums
 * included, whatever the payload length, snap length and link type.
 */
class SnappedFrameTest {

    @Test
    void theFillersSumIsTheSumOfItsBytesForEveryLength() {
        byte[] filler = new byte[3000];
        for (int i = 0; i < filler.length; i++) {
            filler[i] = Ipv4Encoder.FILLER[i % Ipv4Encoder.FILLER.length];
        }
        for (int length = 0; length <= filler.length; length++) {
            assertEquals(
                    InternetChecksum.finish(InternetChecksum.add(0, filler, 0, length)),
                    InternetChecksum.finish(Ipv4Encoder.fillerSum(length)),
                    "length " + length);
        }
    }

    @Test
    void snappedFramesKeepTheWholeFramesFirstBytes() {
        byte[] reused = new byte[70_000];
        Arrays.fill(reused, (byte) 0x5a); // stale bytes of an earlier record must not show through
        int[] snaps = {1, 14, 40, 54, 60, 96, 262_144};
        for (LinkType type : LinkType.values()) {
            for (int payload : new int[] {0, 1, 21, 22, 23, 1460, 65_000}) {
                Packet[] packets = {
                    Packets.data(1000, Math.min(payload, 65_000)),
                    Packet.udp(Packets.CLIENT, Packets.SERVER, new UdpDatagram(1, 2, payload)),
                    Packets.syn(),
                    Packets.ping(),
                    Packets.unreachableQuotingTcp()
                };
                for (Packet p : packets) {
                    byte[] whole = LinkLayer.encode(type, p);
                    assertTrue(
                            LinkLayer.decode(type, whole, whole.length, false).checksumsValid(), p.summary());
                    for (int snap : snaps) {
                        int length = LinkLayer.encode(type, p, reused, snap);
                        assertEquals(whole.length, length);
                        int kept = Math.min(length, snap);
                        assertArrayEquals(
                                Arrays.copyOf(whole, kept),
                                Arrays.copyOf(reused, kept),
                                type + " " + p.summary() + " snap " + snap);
                    }
                }
            }
        }
    }
}
