package io.kpsim.netfilter;

import io.kpsim.conntrack.Tuple;
import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.Transport;
import io.kpsim.packet.UdpDatagram;

/**
 * The packet rewrite of NAT ({@code nf_nat_ipv4_manip_pkt()} in {@code net/netfilter/nf_nat_proto.c},
 * {@code nf_nat_l3proto_ipv4.c} up to 4.19): one half of a packet, address and port or ICMP echo
 * id, made to look like a tuple. {@link NatCore} decides when and with which tuple; this class only
 * builds the rewritten packet (kpsim's packets are values, so checksums need no update).
 */
final class ManipPacket {

    private ManipPacket() {}

    /**
     * {@code nf_nat_ipv4_manip_pkt()}: makes one half of the packet look like {@code target}
     * (the address in the IP header, the port or ICMP echo id in the layer-4 header).
     */
    static Packet manipulate(Packet p, Tuple target, NatManip manip) {
        boolean src = manip == NatManip.SRC;
        Transport transport = p.transport();
        if (transport instanceof TcpSegment s) {
            transport = src ? s.withPorts(target.srcPort(), s.dstPort()) : s.withPorts(s.srcPort(), target.dstPort());
        } else if (transport instanceof UdpDatagram d) {
            transport = src ? d.withPorts(target.srcPort(), d.dstPort()) : d.withPorts(d.srcPort(), target.dstPort());
        } else if (transport instanceof IcmpMessage m && !m.isError() && target.protocol() == Protocol.ICMP) {
            transport = new IcmpMessage(
                    m.type(),
                    m.code(),
                    target.srcPort(),
                    m.sequence(),
                    m.restOfHeader(),
                    m.quoted(),
                    m.payloadLength());
        }
        // one Packet per rewrite (not one for the address and another for the ports): it runs per packet
        return new Packet(
                src ? target.srcIp() : p.srcIp(),
                src ? p.dstIp() : target.dstIp(),
                p.tos(),
                p.ipId(),
                p.ttl(),
                transport);
    }
}
