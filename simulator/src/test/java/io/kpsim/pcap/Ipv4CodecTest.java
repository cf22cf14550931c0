package io.kpsim.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.OtherTransport;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.UdpDatagram;
import java.util.List;
import org.junit.jupiter.api.Test;

class Ipv4CodecTest {

    private static DecodedPacket roundTrip(Packet p) {
        byte[] wire = Ipv4Encoder.encode(p);
        assertEquals(p.totalLength(), wire.length, p.summary());
        DecodedPacket d = Ipv4Decoder.decode(wire, 0, wire.length);
        assertNull(d.skipped(), p.summary());
        assertTrue(d.ipChecksumValid(), "IP checksum of " + p.summary());
        assertTrue(d.l4ChecksumValid(), "L4 checksum of " + p.summary());
        assertTrue(d.l4ChecksumChecked(), p.summary());
        return d;
    }

    @Test
    void tcpPacketsRoundTripExactly() {
        for (Packet p : List.of(
                Packets.syn(), Packets.synAck(), Packets.data(1001, 1448), Packets.sack(), Packets.data(-10, 7))) {
            assertEquals(p, roundTrip(p).packet());
        }
    }

    @Test
    void allTcpFlagBitsAndFieldsSurvive() {
        Packet p = new Packet(
                Packets.CLIENT,
                Packets.SERVER,
                0xb8,
                0xffff,
                1,
                new TcpSegment(65535, 1, 0xffffffff, 0x80000000, 0xff, 0xffff, 0xabcd, TcpOptions.NONE, 0));
        assertEquals(p, roundTrip(p).packet());
    }

    @Test
    void sequenceNumbersAcrossTheWrapSurvive() {
        Packet sack = Packets.sack();
        TcpSegment s = roundTrip(sack).packet().tcp();
        assertEquals(0xffffff00, s.seq());
        assertEquals(0xfffffff0, s.options().sackBlocks().get(0).left());
        assertEquals(0x10, s.options().sackBlocks().get(0).right());
    }

    @Test
    void udpAndEchoRoundTrip() {
        assertEquals(Packets.udp(), roundTrip(Packets.udp()).packet());
        assertEquals(Packets.ping(), roundTrip(Packets.ping()).packet());
        Packet reply =
                Packet.icmp(Packets.SERVER, Packets.CLIENT, IcmpMessage.echo(IcmpMessage.ECHO_REPLY, 1, 65535, 0));
        assertEquals(reply, roundTrip(reply).packet());
    }

    @Test
    void otherProtocolsKeepNumberAndLength() {
        Packet gre = new Packet(Packets.CLIENT, Packets.SERVER, 0, 5, 64, new OtherTransport(47, 24));
        byte[] wire = Ipv4Encoder.encode(gre);
        DecodedPacket d = Ipv4Decoder.decode(wire, 0, wire.length);
        assertEquals(gre, d.packet());
        assertTrue(d.ipChecksumValid());
        assertFalse(d.l4ChecksumChecked(), "kpsim does not know protocol 47's checksum");
        assertTrue(d.l4ChecksumValid());
    }

    @Test
    void icmpErrorQuotingTcpKeepsPortsAndSequence() {
        Packet error = Packets.unreachableQuotingTcp();
        IcmpMessage m = roundTrip(error).packet().icmp();
        assertEquals(IcmpMessage.DEST_UNREACH, m.type());
        assertEquals(3, m.code());
        assertEquals(0, m.payloadLength());
        Packet quoted = m.quoted();
        Packet original = error.icmp().quoted();
        assertEquals(original.srcIp(), quoted.srcIp());
        assertEquals(original.dstIp(), quoted.dstIp());
        assertEquals(original.tos(), quoted.tos());
        assertEquals(original.ipId(), quoted.ipId());
        assertEquals(new TcpSegment(40001, 80, 1001, 0, 0, 0, 0, TcpOptions.NONE, 0), quoted.tcp());
    }

    @Test
    void icmpErrorQuotingUdpKeepsPorts() {
        Packet error = Packets.unreachableQuotingUdp();
        Packet quoted = roundTrip(error).packet().icmp().quoted();
        assertEquals(new UdpDatagram(53000, 53, 0), quoted.udp());
        assertEquals(Packets.CLIENT, quoted.srcIp());
        assertEquals(Packets.SERVICE, quoted.dstIp());
    }

    @Test
    void quotedBytesAreTheOffendingPacketsOwnHeaderWithItsChecksums() {
        Packet udp = Packets.udp();
        byte[] original = Ipv4Encoder.encode(udp);
        byte[] error = Ipv4Encoder.encode(Packets.unreachableQuotingUdp());
        for (int i = 0; i < 28; i++) {
            assertEquals(original[i], error[28 + i], "quoted byte " + i);
        }
        assertEquals(udp.totalLength(), Bytes.getShort(error, 28 + 2), "quoted total length is the original's");
    }

    @Test
    void icmpTimeExceededWithTrailingDataCountsIt() {
        Packet p = Packet.icmp(
                Packets.SERVER,
                Packets.CLIENT,
                new IcmpMessage(IcmpMessage.TIME_EXCEEDED, 0, 0, 0, 0, Packets.udp(), 12));
        IcmpMessage m = roundTrip(p).packet().icmp();
        assertEquals(12, m.payloadLength());
        assertEquals(IcmpMessage.TIME_EXCEEDED, m.type());
    }

    @Test
    void fragmentationNeededKeepsTheMtu() {
        Packet p = Packet.icmp(
                Packets.SERVER,
                Packets.CLIENT,
                IcmpMessage.error(IcmpMessage.DEST_UNREACH, 4, 1400, Packets.data(1, 1448)));
        assertEquals(1400, roundTrip(p).packet().icmp().restOfHeader());
    }

    @Test
    void corruptedIpHeaderIsReportedSeparately() {
        byte[] wire = Ipv4Encoder.encode(Packets.syn());
        wire[8]--; // TTL
        DecodedPacket d = Ipv4Decoder.decode(wire, 0, wire.length);
        assertFalse(d.ipChecksumValid());
        assertTrue(d.l4ChecksumValid(), "TTL is not in the pseudo-header");
        assertFalse(d.checksumsValid());
    }

    @Test
    void corruptedPayloadFailsTheLayer4Checksum() {
        for (Packet p : List.of(Packets.data(5, 100), Packets.udp(), Packets.ping(), Packets.unreachableQuotingTcp())) {
            byte[] wire = Ipv4Encoder.encode(p);
            wire[wire.length - 1] ^= 0x40;
            DecodedPacket d = Ipv4Decoder.decode(wire, 0, wire.length);
            assertTrue(d.ipChecksumValid(), p.summary());
            assertFalse(d.l4ChecksumValid(), p.summary());
            assertTrue(d.l4ChecksumChecked(), p.summary());
        }
    }

    @Test
    void corruptedAddressFailsThePseudoHeader() {
        byte[] wire = Ipv4Encoder.encode(Packets.data(5, 10));
        wire[19] ^= 1; // destination address, covered by both checksums
        DecodedPacket d = Ipv4Decoder.decode(wire, 0, wire.length);
        assertFalse(d.ipChecksumValid());
        assertFalse(d.l4ChecksumValid());
    }

    @Test
    void udpWithoutChecksumIsValid() {
        byte[] wire = Ipv4Encoder.encode(Packets.udp());
        wire[26] = 0;
        wire[27] = 0;
        wire[wire.length - 1] ^= 0x11;
        assertTrue(Ipv4Decoder.decode(wire, 0, wire.length).l4ChecksumValid());
    }

    @Test
    void linkPaddingAfterTheDatagramIsIgnored() {
        byte[] wire = Ipv4Encoder.encode(Packets.syn());
        byte[] padded = java.util.Arrays.copyOf(wire, wire.length + 6);
        padded[wire.length] = 0x55;
        DecodedPacket d = Ipv4Decoder.decode(padded, 0, padded.length);
        assertEquals(Packets.syn(), d.packet());
        assertTrue(d.l4ChecksumValid());
    }

    @Test
    void ipOptionsAreSkipped() {
        byte[] plain = Ipv4Encoder.encode(Packets.data(7, 3));
        byte[] wire = new byte[plain.length + 4];
        System.arraycopy(plain, 0, wire, 0, 20);
        System.arraycopy(plain, 20, wire, 24, plain.length - 20);
        wire[0] = 0x46;
        wire[20] = 1; // NOP NOP NOP EOL
        wire[21] = 1;
        wire[22] = 1;
        Bytes.putShort(wire, 2, wire.length);
        Bytes.putShort(wire, 10, 0);
        Bytes.putShort(wire, 10, InternetChecksum.of(wire, 0, 24));
        DecodedPacket d = Ipv4Decoder.decode(wire, 0, wire.length);
        assertEquals(Packets.data(7, 3), d.packet());
        assertTrue(d.ipChecksumValid());
        assertTrue(d.l4ChecksumValid());
    }

    @Test
    void snappedFramesDecodeHeadersAndLeaveTheChecksumUnchecked() {
        Packet p = Packets.data(1001, 1400);
        byte[] wire = Ipv4Encoder.encode(p);
        DecodedPacket d = Ipv4Decoder.decode(wire, 0, 96, true);
        assertEquals(p, d.packet());
        assertFalse(d.l4ChecksumChecked());
        assertTrue(d.l4ChecksumValid());
        assertEquals(
                "truncated IPv4 packet (total length 1452, 96 bytes on the wire): ip_rcv() drops it before conntrack",
                Ipv4Decoder.decode(wire, 0, 96, false).skipped());
    }

    @Test
    void malformedDatagramsAreSkippedWithAReason() {
        byte[] syn = Ipv4Encoder.encode(Packets.syn());
        assertEquals("truncated IPv4 header", Ipv4Decoder.decode(syn, 0, 19).skipped());
        assertEquals("empty frame", Ipv4Decoder.decode(syn, 0, 0).skipped());
        assertEquals(
                "not IPv4 (IP version 6)",
                Ipv4Decoder.decode(mutate(syn, 0, 0x60), 0, syn.length).skipped());
        assertEquals(
                "bad IPv4 header length 16",
                Ipv4Decoder.decode(mutate(syn, 0, 0x44), 0, syn.length).skipped());
        assertEquals(
                "IPv4 total length 12 is shorter than its header",
                Ipv4Decoder.decode(mutate(syn, 3, 12), 0, syn.length).skipped());
        assertEquals(
                "IP fragment",
                Ipv4Decoder.decode(mutate(syn, 6, 0x20), 0, syn.length).skipped(),
                "MF");
        assertEquals(
                "IP fragment",
                Ipv4Decoder.decode(mutate(syn, 7, 0x08), 0, syn.length).skipped(),
                "offset");
        assertEquals(
                "bad TCP data offset 16",
                Ipv4Decoder.decode(mutate(syn, 32, 0x40), 0, syn.length).skipped());
        assertEquals(
                "TCP data offset 60 exceeds the 40-byte segment",
                Ipv4Decoder.decode(mutate(syn, 32, 0xf0), 0, syn.length).skipped());
        byte[] shortTcp = mutate(syn, 3, 30);
        assertEquals(
                "truncated TCP header",
                Ipv4Decoder.decode(shortTcp, 0, syn.length).skipped());
        byte[] udp = Ipv4Encoder.encode(Packets.udp());
        assertEquals(
                "bad UDP length 7 in a 41-byte datagram",
                Ipv4Decoder.decode(mutate(udp, 25, 7), 0, udp.length).skipped());
        assertEquals(
                "bad UDP length 42 in a 41-byte datagram",
                Ipv4Decoder.decode(mutate(udp, 25, 42), 0, udp.length).skipped());
        byte[] error = Ipv4Encoder.encode(Packets.unreachableQuotingTcp());
        assertEquals(
                "truncated ICMP error (quoted header plus 8 bytes incomplete)",
                Ipv4Decoder.decode(mutate(error, 3, 50), 0, 50).skipped());
        assertEquals(
                "truncated ICMP error (quoted IPv4 header incomplete)",
                Ipv4Decoder.decode(mutate(error, 3, 40), 0, 40).skipped());
        assertEquals(
                "ICMP error quotes a malformed IPv4 header",
                Ipv4Decoder.decode(mutate(error, 28, 0x65), 0, error.length).skipped());
    }

    @Test
    void oversizedPacketsAreRejected() {
        Packet huge = Packet.udp(Packets.CLIENT, Packets.SERVER, new UdpDatagram(1, 2, 65508));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipv4Encoder.encode(huge));
        assertTrue(e.getMessage().contains("65536 bytes"), e.getMessage());
        assertEquals(
                65535,
                Ipv4Encoder.encode(Packet.udp(Packets.CLIENT, Packets.SERVER, new UdpDatagram(1, 2, 65507))).length);
    }

    @Test
    void encodingIsDeterministicAndFillsPayload() {
        byte[] a = Ipv4Encoder.encode(Packets.data(1, 50));
        byte[] b = Ipv4Encoder.encode(Packets.data(1, 50));
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
        assertEquals('k', a[a.length - 50]);
        assertEquals(Ip4.parse("10.0.0.2"), Bytes.getInt(a, 12));
    }

    private static byte[] mutate(byte[] original, int index, int value) {
        byte[] copy = original.clone();
        copy[index] = (byte) value;
        return copy;
    }
}
