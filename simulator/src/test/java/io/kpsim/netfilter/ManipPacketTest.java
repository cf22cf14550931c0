package io.kpsim.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kpsim.conntrack.ConnTable;
import io.kpsim.conntrack.Tuple;
import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.UdpDatagram;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * NAT's rewrite from a tuple packed as conntrack keeps it ({@link ManipPacket#manipulateInverted})
 * must equal the rewrite toward that tuple inverted, as {@code nf_nat_packet()} was written before
 * (session 9): every protocol, both manips, ports from 0 to 65535 (the high bit of a packed port
 * must not leak into the address or the next field).
 */
class ManipPacketTest {

    @Test
    void packedTargetRewritesAsTheInvertedTuple() {
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 5_000; i++) {
            int a = random.nextInt();
            int b = random.nextInt();
            int aPort = i % 7 == 0 ? 0xffff : random.nextInt(65_536);
            int bPort = i % 11 == 0 ? 0 : random.nextInt(65_536);
            int id = random.nextInt(65_536);
            List<Packet> packets = List.of(
                    Packet.tcp(
                            random.nextInt(),
                            random.nextInt(),
                            new TcpSegment(
                                    random.nextInt(65_536),
                                    random.nextInt(65_536),
                                    random.nextInt(),
                                    random.nextInt(),
                                    TcpFlags.ACK,
                                    502,
                                    0,
                                    TcpOptions.NONE,
                                    100)),
                    Packet.udp(
                            random.nextInt(),
                            random.nextInt(),
                            new UdpDatagram(random.nextInt(65_536), random.nextInt(65_536), 20)),
                    Packet.icmp(
                            random.nextInt(),
                            random.nextInt(),
                            IcmpMessage.echo(IcmpMessage.ECHO_REQUEST, random.nextInt(65_536), 3, 56)));
            List<Tuple> stored = List.of(
                    new Tuple(Protocol.TCP, a, aPort, b, bPort),
                    new Tuple(Protocol.UDP, a, aPort, b, bPort),
                    new Tuple(Protocol.ICMP, a, id, b, IcmpMessage.ECHO_REPLY << 8));
            for (int k = 0; k < packets.size(); k++) {
                Packet p = packets.get(k);
                Tuple t = stored.get(k);
                long high = ConnTable.keyHigh(t.srcIp(), t.dstIp());
                long low = ConnTable.keyLow(t.protocol().number(), t.srcPort(), t.dstPort());
                for (NatManip manip : NatManip.values()) {
                    assertEquals(
                            ManipPacket.manipulate(p, t.invert(), manip),
                            ManipPacket.manipulateInverted(p, high, low, manip),
                            t + " " + manip + " on " + p);
                }
            }
        }
    }
}
