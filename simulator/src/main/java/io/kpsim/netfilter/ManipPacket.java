package io.kpsim.netfilter;

import io.kpsim.conntrack.ConnTable;
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
        return manipulate(
                p,
                target.protocol() == Protocol.ICMP,
                target.srcIp(),
                target.srcPort(),
                target.dstIp(),
                target.dstPort(),
                manip);
    }

    /**
     * {@link #manipulate(Packet, Tuple, NatManip)} with the target given as the inverse of a tuple
     * packed as conntrack keeps it ({@code high}: {@link ConnTable#keyHigh}, {@code low}:
     * {@link ConnTable#keyLow}), so no tuple is built per packet. {@code nf_ct_invert_tuple()}
     * swaps addresses and ports; for ICMP it keeps the id (and changes the type, which the rewrite
     * does not read).
     */
    static Packet manipulateInverted(Packet p, long high, long low, NatManip manip) {
        boolean icmp = Protocol.of((int) (low >>> 32) & 0xff) == Protocol.ICMP;
        int storedSrcPort = (int) (low >>> 16) & 0xffff;
        int storedDstPort = (int) low & 0xffff;
        return manipulate(
                p, icmp, (int) high, icmp ? storedSrcPort : storedDstPort, (int) (high >>> 32), storedSrcPort, manip);
    }

    /**
     * The rewrite toward a target tuple given by its fields ({@code targetIcmp}: the tuple is
     * ICMP's, whose source port is the echo id).
     */
    private static Packet manipulate(
            Packet p, boolean targetIcmp, int srcIp, int srcPort, int dstIp, int dstPort, NatManip manip) {
        boolean src = manip == NatManip.SRC;
        Transport transport = p.transport();
        if (transport instanceof TcpSegment s) {
            transport = src ? s.withPorts(srcPort, s.dstPort()) : s.withPorts(s.srcPort(), dstPort);
        } else if (transport instanceof UdpDatagram d) {
            transport = src ? d.withPorts(srcPort, d.dstPort()) : d.withPorts(d.srcPort(), dstPort);
        } else if (transport instanceof IcmpMessage m && !m.isError() && targetIcmp) {
            transport = new IcmpMessage(
                    m.type(), m.code(), srcPort, m.sequence(), m.restOfHeader(), m.quoted(), m.payloadLength());
        }
        // one Packet per rewrite (not one for the address and another for the ports): it runs per packet
        return new Packet(src ? srcIp : p.srcIp(), src ? p.dstIp() : dstIp, p.tos(), p.ipId(), p.ttl(), transport);
    }
}
