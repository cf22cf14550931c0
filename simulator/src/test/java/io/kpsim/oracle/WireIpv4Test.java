package io.kpsim.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.pcap.Ipv4Encoder;
import org.junit.jupiter.api.Test;

class WireIpv4Test {

    static final int C = Ip4.parse("10.244.0.7");
    static final int V = Ip4.parse("10.96.0.10");
    static final int P = Ip4.parse("10.244.1.5");

    static Packet syn() {
        return new Packet(
                C,
                V,
                0,
                77,
                64,
                new TcpSegment(40001, 80, 0x89abcdef, 0, TcpFlags.SYN, 64240, 0, TcpOptions.syn(1460, 7, true), 0));
    }

    @Test
    void parsesWhatTheCodecWrites() {
        byte[] wire = Ipv4Encoder.encode(syn());
        WireIpv4 w = WireIpv4.parse(wire, 0);
        assertEquals(Protocol.TCP, w.protocol());
        assertEquals("10.244.0.7:40001", w.sourceText());
        assertEquals("10.96.0.10:80", w.destinationText());
        assertEquals(0x89abcdef, w.seq());
        assertEquals(TcpFlags.SYN, w.tcpFlags());
        assertEquals(77, w.ipId());
        assertEquals(0, w.payloadLength());
        assertNull(w.inner());
    }

    /** RFC 1071 over {@code b[from, from + length)} plus {@code initial}; 0 when the data checks out. */
    static int checksum(byte[] b, int from, int length, int initial) {
        long sum = initial;
        for (int i = from; i < from + length; i += 2) {
            sum += (b[i] & 0xff) << 8 | (i + 1 < from + length ? b[i + 1] & 0xff : 0);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    @Test
    void injectedBytesCarryValidChecksums() {
        byte[] wire = Ipv4Encoder.encode(syn());
        assertEquals(0, checksum(wire, 0, 20, 0), "IPv4 header checksum");
        int l4 = wire.length - 20;
        int pseudo = (C >>> 16) + (C & 0xffff) + (V >>> 16) + (V & 0xffff) + 6 + l4;
        assertEquals(0, checksum(wire, 20, l4, pseudo), "TCP checksum");
    }

    @Test
    void icmpErrorKeepsTheQuotedHeader() {
        Packet quoted = Packet.tcp(C, P, new TcpSegment(40001, 8080, 5, 6, TcpFlags.ACK, 100, 0, TcpOptions.NONE, 0));
        Packet err = Packet.icmp(P, C, IcmpMessage.error(IcmpMessage.DEST_UNREACH, 4, 1400, quoted));
        WireIpv4 w = WireIpv4.parse(Ipv4Encoder.encode(err), 0);
        assertTrue(w.isIcmpError());
        assertEquals("10.244.1.5", w.sourceText());
        assertEquals(3 << 8 | 4, w.dstPort());
        assertEquals("10.244.0.7:40001", w.inner().sourceText());
        assertEquals("10.244.1.5:8080", w.inner().destinationText());
        assertEquals(5, w.inner().seq());
    }

    @Test
    void recognisesTheForwardedCopyDespiteNatDscpAndTtl() {
        WireIpv4 sent = WireIpv4.parse(Ipv4Encoder.encode(syn()), 0);
        Packet natted = syn().withDestination(P, 8080).withTos(3 << 2).decrementTtl();
        assertTrue(sent.couldBeForwardedAs(WireIpv4.parse(Ipv4Encoder.encode(natted), 0)));
        Packet other = new Packet(
                C,
                P,
                0,
                77,
                63,
                new TcpSegment(
                        40001, 8080, 0x89abcdef + 1, 0, TcpFlags.SYN, 64240, 0, TcpOptions.syn(1460, 7, true), 0));
        assertFalse(sent.couldBeForwardedAs(WireIpv4.parse(Ipv4Encoder.encode(other), 0)));
    }

    @Test
    void aLogCopyCutShortStillMatchesTheWholePacket() {
        Packet data = Packet.tcp(
                C, V, new TcpSegment(40001, 80, 5, 6, TcpFlags.ACK | TcpFlags.PSH, 502, 0, TcpOptions.NONE, 900));
        byte[] wire = Ipv4Encoder.encode(data);
        WireIpv4 whole = WireIpv4.parse(wire, 0);
        // NFLOG --nflog-size 128: the first 128 bytes of a 940-byte packet.
        WireIpv4 logged = WireIpv4.parse(java.util.Arrays.copyOf(wire, 128), 0);
        assertEquals(900, whole.payloadLength());
        assertEquals(900, logged.payloadLength());
        assertTrue(whole.couldBeForwardedAs(logged));
        Packet shorter = Packet.tcp(
                C, V, new TcpSegment(40001, 80, 5, 6, TcpFlags.ACK | TcpFlags.PSH, 502, 0, TcpOptions.NONE, 899));
        assertFalse(
                whole.couldBeForwardedAs(WireIpv4.parse(java.util.Arrays.copyOf(Ipv4Encoder.encode(shorter), 128), 0)));
    }

    @Test
    void aHeaderCutInsideLayerFourHasNoPayloadLength() {
        byte[] wire = Ipv4Encoder.encode(syn());
        WireIpv4 cut = WireIpv4.parse(java.util.Arrays.copyOf(wire, 30), 0);
        assertEquals(40001, cut.srcPort());
        assertEquals(0, cut.payloadLength());
    }

    @Test
    void rejectsNonIpv4() {
        assertNull(WireIpv4.parse(new byte[] {0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0));
        assertNull(WireIpv4.parse(new byte[10], 0));
    }
}
