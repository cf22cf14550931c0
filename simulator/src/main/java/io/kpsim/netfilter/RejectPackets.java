package io.kpsim.netfilter;

import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;

/**
 * The packets a reject builds from the one it rejects, as {@code net/ipv4/netfilter/nf_reject_ipv4.c}
 * and {@code icmp_send()} build them, before they go out through the node's OUTPUT and POSTROUTING
 * hooks with the rejected packet's conntrack attached ({@code nf_ct_attach()}).
 */
final class RejectPackets {

    /** {@code ip4_dst_hoplimit()} with the default {@code net.ipv4.ip_default_ttl}. */
    static final int TTL = Packet.DEFAULT_TTL;
    /** {@code icmp_send()}'s limit on an error's size: the quote is cut so the datagram is at most 576 bytes. */
    private static final int ICMP_ERROR_MAX = 576;
    /** {@code IPTOS_PREC_INTERNETCONTROL}. */
    private static final int INTERNETCONTROL = 0xc0;
    /** {@code IPTOS_TOS_MASK}. */
    private static final int TOS_MASK = 0x1e;

    private RejectPackets() {}

    /**
     * {@code nf_send_reset()}: a RST from the rejected segment's destination back to its source,
     * ports swapped, window 0, TTL 64; {@code seq} = the segment's ACK number when it had ACK,
     * otherwise seq 0 with RST|ACK acknowledging the segment ({@code nf_reject_ip_tcphdr_put()}).
     *
     * @return the reset, or {@code null} when none is sent: not TCP, or the segment is a RST itself
     */
    static Packet reset(Packet offending) {
        TcpSegment t = offending.tcp();
        if (t == null || t.has(TcpFlags.RST)) {
            return null;
        }
        TcpSegment rst;
        if (t.has(TcpFlags.ACK)) {
            rst = new TcpSegment(t.dstPort(), t.srcPort(), t.ack(), 0, TcpFlags.RST, 0, 0, TcpOptions.NONE, 0);
        } else {
            int ack = t.seq() + (t.has(TcpFlags.SYN) ? 1 : 0) + (t.has(TcpFlags.FIN) ? 1 : 0) + t.payloadLength();
            rst = new TcpSegment(
                    t.dstPort(), t.srcPort(), 0, ack, TcpFlags.RST | TcpFlags.ACK, 0, 0, TcpOptions.NONE, 0);
        }
        return new Packet(offending.dstIp(), offending.srcIp(), 0, 0, TTL, rst);
    }

    /**
     * {@code nf_send_unreach()} → {@code icmp_send()}: a destination-unreachable quoting the packet
     * as it is at the hook (its IPv4 header and data, the whole error at most 576 bytes), TOS
     * {@code (tos & IPTOS_TOS_MASK) | IPTOS_PREC_INTERNETCONTROL}, TTL 64.
     *
     * @param source the error's source: the rejected packet's destination when that is a local
     *     address ({@code RTCF_LOCAL}), else the node's address on the way back to the sender
     * @return the error, or {@code null} when none is sent: the packet is itself an ICMP error, or
     *     was sent to a broadcast or multicast address
     */
    static Packet unreachable(Packet offending, int code, int source) {
        IcmpMessage m = offending.icmp();
        if (m != null && m.isError()) {
            return null;
        }
        int dst = offending.dstIp();
        if (dst == -1 || (dst >>> 28) == 0xe) {
            return null;
        }
        int quoted = Math.min(offending.totalLength(), ICMP_ERROR_MAX - Packet.IPV4_HEADER - IcmpMessage.HEADER);
        int rest = Math.max(0, quoted - (Packet.IPV4_HEADER + 8));
        IcmpMessage error = new IcmpMessage(IcmpMessage.DEST_UNREACH, code, 0, 0, 0, offending, rest);
        int tos = (offending.tos() & TOS_MASK) | INTERNETCONTROL;
        return new Packet(source, offending.srcIp(), tos, 0, TTL, error);
    }
}
