package io.kpsim.pcap;

import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.SackBlock;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.UdpDatagram;
import java.util.List;

/** Sample packets shared by the pcap tests. */
final class Packets {

    static final int CLIENT = Ip4.parse("10.0.0.2");
    static final int SERVICE = Ip4.parse("10.96.0.10");
    static final int SERVER = Ip4.parse("10.0.1.2");

    private Packets() {}

    static Packet syn() {
        TcpOptions options = TcpOptions.syn(1460, 7, true).withTimestamps(123456, 0);
        return new Packet(
                CLIENT, SERVICE, 0, 0x1234, 64, new TcpSegment(40001, 80, 1000, 0, TcpFlags.SYN, 64240, 0, options, 0));
    }

    static Packet synAck() {
        TcpOptions options = TcpOptions.syn(1460, 7, true).withTimestamps(777, 123456);
        return new Packet(
                SERVER,
                CLIENT,
                0,
                0,
                63,
                new TcpSegment(80, 40001, 5000, 1001, TcpFlags.SYN | TcpFlags.ACK, 65160, 0, options, 0));
    }

    static Packet data(int seq, int length) {
        TcpOptions options = TcpOptions.NONE.withTimestamps(123500, 800);
        return new Packet(
                CLIENT,
                SERVICE,
                0x10,
                2,
                64,
                new TcpSegment(40001, 80, seq, 5001, TcpFlags.PSH | TcpFlags.ACK, 502, 0, options, length));
    }

    static Packet sack() {
        TcpOptions options = TcpOptions.NONE
                .withTimestamps(900, 901)
                .withSackBlocks(
                        List.of(new SackBlock(0xfffffff0, 0x10), new SackBlock(3000, 4000), new SackBlock(5000, 6000)));
        return new Packet(
                SERVER,
                CLIENT,
                0,
                9,
                63,
                new TcpSegment(80, 40001, 0xffffff00, 1001, TcpFlags.ACK, 1000, 0, options, 0));
    }

    static Packet udp() {
        return new Packet(CLIENT, SERVICE, 0, 77, 64, new UdpDatagram(53000, 53, 33));
    }

    static Packet ping() {
        return Packet.icmp(CLIENT, SERVER, IcmpMessage.echo(IcmpMessage.ECHO_REQUEST, 0x4242, 7, 56));
    }

    static Packet unreachableQuotingTcp() {
        return Packet.icmp(SERVER, CLIENT, IcmpMessage.error(IcmpMessage.DEST_UNREACH, 3, 0, data(1001, 100)));
    }

    static Packet unreachableQuotingUdp() {
        return Packet.icmp(SERVICE, CLIENT, IcmpMessage.error(IcmpMessage.DEST_UNREACH, 3, 0, udp()));
    }
}
