package io.kpsim.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.Packet;
import org.junit.jupiter.api.Test;

class LinkLayerTest {

    @Test
    void everyLinkTypeRoundTrips() {
        for (LinkType type : LinkType.values()) {
            for (Packet p : new Packet[] {Packets.syn(), Packets.udp(), Packets.ping()}) {
                byte[] frame = LinkLayer.encode(type, p);
                assertEquals(type.headerLength() + p.totalLength(), frame.length, type + " " + p.summary());
                DecodedPacket d = LinkLayer.decode(type, frame, frame.length, false);
                assertNull(d.skipped(), type + " " + p.summary());
                assertEquals(p, d.packet(), type.toString());
                assertTrue(d.checksumsValid(), type.toString());
            }
        }
    }

    @Test
    void ethernetFramesCarryMacsDerivedFromTheAddresses() {
        byte[] frame = LinkLayer.encode(LinkType.ETHERNET, Packets.syn());
        assertArrayEquals(new byte[] {0x0a, 0x58, 10, 96, 0, 10}, java.util.Arrays.copyOfRange(frame, 0, 6));
        assertArrayEquals(new byte[] {0x0a, 0x58, 10, 0, 0, 2}, java.util.Arrays.copyOfRange(frame, 6, 12));
        assertEquals(0x0800, Bytes.getShort(frame, 12));
    }

    @Test
    void cookedHeadersFollowLibpcapsLayout() {
        byte[] v1 = LinkLayer.encode(LinkType.LINUX_SLL, Packets.syn());
        assertEquals(1, Bytes.getShort(v1, 2), "ARPHRD_ETHER");
        assertEquals(6, Bytes.getShort(v1, 4), "address length");
        assertEquals(0x0800, Bytes.getShort(v1, 14));
        byte[] v2 = LinkLayer.encode(LinkType.LINUX_SLL2, Packets.syn());
        assertEquals(0x0800, Bytes.getShort(v2, 0));
        assertEquals(1, Bytes.getShort(v2, 8), "ARPHRD_ETHER");
        assertEquals(6, v2[11], "address length");
        assertEquals(0x45, v2[20], "IPv4 header at offset 20");
    }

    @Test
    void vlanTagsAreStripped() {
        byte[] plain = LinkLayer.encode(LinkType.ETHERNET, Packets.syn());
        byte[] tagged = withTags(plain, 0x8100);
        assertEquals(
                Packets.syn(),
                LinkLayer.decode(LinkType.ETHERNET, tagged, tagged.length, false)
                        .packet());
        byte[] qinq = withTags(plain, 0x88a8, 0x8100);
        assertEquals(
                Packets.syn(),
                LinkLayer.decode(LinkType.ETHERNET, qinq, qinq.length, false).packet());
        assertEquals(
                "truncated VLAN tag",
                LinkLayer.decode(LinkType.ETHERNET, qinq, 16, false).skipped());
    }

    @Test
    void nonIpv4FramesAreSkippedWithTheirEthertype() {
        byte[] frame = LinkLayer.encode(LinkType.ETHERNET, Packets.syn());
        Bytes.putShort(frame, 12, 0x86dd);
        assertEquals(
                "not IPv4 (ethertype 0x86dd)",
                LinkLayer.decode(LinkType.ETHERNET, frame, frame.length, false).skipped());
        Bytes.putShort(frame, 12, 0x0806);
        assertEquals(
                "not IPv4 (ethertype 0x0806)",
                LinkLayer.decode(LinkType.ETHERNET, frame, frame.length, false).skipped());
        byte[] tagged = withTags(LinkLayer.encode(LinkType.ETHERNET, Packets.syn()), 0x8100);
        Bytes.putShort(tagged, 16, 0x86dd);
        assertEquals(
                "not IPv4 (ethertype 0x86dd)",
                LinkLayer.decode(LinkType.ETHERNET, tagged, tagged.length, false)
                        .skipped());
        byte[] v2 = LinkLayer.encode(LinkType.LINUX_SLL2, Packets.syn());
        Bytes.putShort(v2, 0, 0x86dd);
        assertEquals(
                "not IPv4 (ethertype 0x86dd)",
                LinkLayer.decode(LinkType.LINUX_SLL2, v2, v2.length, false).skipped());
        byte[] v1 = LinkLayer.encode(LinkType.LINUX_SLL, Packets.syn());
        Bytes.putShort(v1, 2, 824);
        assertEquals(
                "not IPv4 (netlink)",
                LinkLayer.decode(LinkType.LINUX_SLL, v1, v1.length, false).skipped());
        byte[] raw = LinkLayer.encode(LinkType.RAW, Packets.syn());
        raw[0] = 0x60;
        assertEquals(
                "not IPv4 (IP version 6)",
                LinkLayer.decode(LinkType.RAW, raw, raw.length, false).skipped());
    }

    @Test
    void truncatedLinkHeadersAreSkipped() {
        byte[] frame = new byte[10];
        assertEquals(
                "truncated Ethernet header",
                LinkLayer.decode(LinkType.ETHERNET, frame, 10, false).skipped());
        assertEquals(
                "truncated Linux cooked header",
                LinkLayer.decode(LinkType.LINUX_SLL, frame, 10, false).skipped());
        assertEquals(
                "truncated Linux cooked v2 header",
                LinkLayer.decode(LinkType.LINUX_SLL2, frame, 10, false).skipped());
    }

    @Test
    void linkTypesMapFromFileAndLibpcapNumbers() {
        assertEquals(LinkType.RAW, LinkType.of(101));
        assertEquals(LinkType.RAW, LinkType.of(12));
        assertEquals(LinkType.IPV4, LinkType.of(228));
        assertEquals(LinkType.LINUX_SLL2, LinkType.of(276));
        assertNull(LinkType.of(105));
    }

    private static byte[] withTags(byte[] frame, int... tpids) {
        byte[] out = new byte[frame.length + 4 * tpids.length];
        System.arraycopy(frame, 0, out, 0, 12);
        int p = 12;
        for (int tpid : tpids) {
            Bytes.putShort(out, p, tpid);
            Bytes.putShort(out, p + 2, 42); // VLAN id 42
            p += 4;
        }
        System.arraycopy(frame, 12, out, p, frame.length - 12);
        return out;
    }
}
