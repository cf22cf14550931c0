package io.kpsim.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.fault.UserFault;
import io.kpsim.packet.Packet;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * kpsim runs libpcap's compiled filters in Java; here every answer is checked against libpcap's
 * own {@code pcap_offline_filter()} (pcap4j's {@code BpfProgram.applyFilter}) on the same bytes:
 * each link type kpsim reads, VLAN tags, IPv6, cut and whole frames, and expressions that use
 * every kind of load, the ALU, both jump kinds and SLL's packet-type field.
 */
class CaptureFilterTest {

    private static final String[] EXPRESSIONS = {
        "tcp",
        "udp or icmp",
        "host 10.96.0.10",
        "tcp port 80 and not src host 10.0.1.2",
        "net 10.0.0.0/16",
        "tcp[tcpflags] & (tcp-syn|tcp-rst) != 0",
        "tcp[13] = 0x18",
        "ip[8] < 64",
        "len > 100",
        "greater 80 and less 200",
        "ip6",
        "vlan and tcp",
        "icmp[icmptype] = icmp-unreach",
        "(ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2) > 0",
        "tcp[4:4] % 7 = 3",
        "ip[6:2] & 0x1fff = 0 and ip[0] * 2 >= 90",
    };

    @Test
    void everyAnswerIsLibpcapsOwn() throws Exception {
        Packet[] packets = {
            Packets.syn(),
            Packets.synAck(),
            Packets.data(1, 200),
            Packets.sack(),
            Packets.udp(),
            Packets.ping(),
            Packets.unreachableQuotingTcp()
        };
        int compared = 0;
        int accepted = 0;
        for (LinkType type : LinkType.values()) {
            List<byte[]> frames = frames(type, packets);
            for (String expression : EXPRESSIONS) {
                if (expression.startsWith("vlan") && type != LinkType.ETHERNET) {
                    continue; // libpcap compiles vlan for Ethernet framing only
                }
                CaptureFilter ours = CaptureFilter.compile(expression);
                BpfProgram theirs;
                try {
                    theirs = Pcaps.compileFilter(
                            PcapFileSource.MAXIMUM_SNAPLEN,
                            DataLinkType.getInstance(type.dlt()),
                            expression,
                            BpfProgram.BpfCompileMode.OPTIMIZE,
                            (java.net.Inet4Address) InetAddress.getByName("255.255.255.255"));
                } catch (PcapNativeException e) { // e.g. ip6 on raw IPv4: refused for that link type, by both
                    byte[] frame = frames.get(0);
                    UserFault refused =
                            assertThrows(UserFault.class, () -> ours.accepts(record(type, frame, frame.length)));
                    assertTrue(refused.getMessage().contains(type.description() + " captures"), refused.getMessage());
                    continue;
                }
                try {
                    for (byte[] frame : frames) {
                        for (int captured : new int[] {frame.length, Math.min(frame.length, 38)}) {
                            byte[] bytes = Arrays.copyOf(frame, captured);
                            CaptureRecord r = record(type, bytes, frame.length);
                            boolean libpcap = theirs.applyFilter(bytes, frame.length, captured);
                            assertEquals(
                                    libpcap,
                                    ours.accepts(r),
                                    expression + " on " + type + ", " + captured + " of " + frame.length + " bytes");
                            compared++;
                            accepted += libpcap ? 1 : 0;
                        }
                    }
                } finally {
                    theirs.free();
                }
            }
        }
        assertTrue(accepted > compared / 10 && accepted < compared * 9 / 10, accepted + " of " + compared);
    }

    @Test
    void sllPacketTypesFilterAsInboundAndOutbound() {
        CaptureFilter inbound = CaptureFilter.compile("inbound");
        byte[] host = LinkLayer.encode(LinkType.LINUX_SLL2, Packets.syn());
        byte[] outgoing = host.clone();
        outgoing[10] = LinkLayer.PACKET_OUTGOING;
        assertTrue(inbound.accepts(record(LinkType.LINUX_SLL2, host, host.length)));
        assertFalse(inbound.accepts(record(LinkType.LINUX_SLL2, outgoing, outgoing.length)));
    }

    @Test
    void aBadExpressionIsOneLineNamingTheOption() {
        UserFault e = assertThrows(UserFault.class, () -> CaptureFilter.compile("tcp prot 80"));
        assertTrue(
                e.getMessage().startsWith("--filter 'tcp prot 80': libpcap cannot compile it for Ethernet captures: "),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().endsWith("syntax error"), e.getMessage());
    }

    private static CaptureRecord record(LinkType type, byte[] frame, int wire) {
        return new CaptureRecord(
                0,
                0,
                frame,
                wire,
                LinkLayer.decode(type, frame, frame.length, wire),
                new CaptureInterface(0, type, 0, null, 9),
                0);
    }

    private static List<byte[]> frames(LinkType type, Packet[] packets) {
        List<byte[]> frames = new ArrayList<>();
        for (Packet p : packets) {
            frames.add(LinkLayer.encode(type, p));
        }
        if (type == LinkType.ETHERNET) {
            byte[] plain = LinkLayer.encode(type, Packets.data(7, 40));
            byte[] tagged = new byte[plain.length + 4];
            System.arraycopy(plain, 0, tagged, 0, 12);
            tagged[12] = (byte) 0x81;
            tagged[14] = 0x00;
            tagged[15] = 0x07;
            System.arraycopy(plain, 12, tagged, 16, plain.length - 12);
            frames.add(tagged);
            byte[] ipv6 = plain.clone();
            ipv6[12] = (byte) 0x86;
            ipv6[13] = (byte) 0xdd;
            ipv6[14] = 0x60;
            frames.add(ipv6);
        }
        return frames;
    }
}
