package io.kpsim.netfilter.nftables;

import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.UdpDatagram;

/** Packets for evaluation tests. */
final class Packets {

    private Packets() {}

    static Packet syn(String src, int sport, String dst, int dport) {
        return Packet.tcp(
                Ip4.parse(src),
                Ip4.parse(dst),
                new TcpSegment(sport, dport, 1000, 0, TcpFlags.SYN, 64240, 0, TcpOptions.syn(1460, 7, true), 0));
    }

    static Packet udp(String src, int sport, String dst, int dport) {
        return Packet.udp(Ip4.parse(src), Ip4.parse(dst), new UdpDatagram(sport, dport, 10));
    }

    static Packet ping(String src, String dst) {
        return Packet.icmp(
                Ip4.parse(src), Ip4.parse(dst), new IcmpMessage(IcmpMessage.ECHO_REQUEST, 0, 7, 1, 0, null, 56));
    }
}
