package io.kpsim.packet;

/**
 * An IPv4 packet: the header fields netfilter and conntrack look at, and its layer-4 part.
 *
 * <p>Immutable; NAT produces a new packet ({@link #withSource}, {@link #withDestination}).
 * Options in the IPv4 header and fragmentation are not modelled: every packet is a whole
 * datagram with a 20-byte header, as on a Kubernetes pod network with a uniform MTU.
 *
 * @param srcIp source address ({@link Ip4} packing)
 * @param dstIp destination address
 * @param tos the whole TOS byte (DSCP in the upper six bits, ECN in the lower two)
 * @param ipId the identification field
 * @param ttl time to live
 * @param transport the layer-4 header and payload length
 */
public record Packet(int srcIp, int dstIp, int tos, int ipId, int ttl, Transport transport) {

    /** Bytes of an IPv4 header without options. */
    public static final int IPV4_HEADER = 20;
    /** The TTL Linux uses by default ({@code net.ipv4.ip_default_ttl}). */
    public static final int DEFAULT_TTL = 64;

    /** Validates header field ranges. */
    public Packet {
        if (tos < 0 || tos > 255) {
            throw new IllegalArgumentException("TOS " + tos + " is not in 0..255");
        }
        if (ipId < 0 || ipId > 0xffff) {
            throw new IllegalArgumentException("IP id " + ipId + " is not in 0..65535");
        }
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("TTL " + ttl + " is not in 0..255");
        }
        if (transport == null) {
            throw new IllegalArgumentException("a packet needs a layer-4 part");
        }
    }

    /** A TCP packet with default TOS, id and TTL. */
    public static Packet tcp(int srcIp, int dstIp, TcpSegment segment) {
        return new Packet(srcIp, dstIp, 0, 0, DEFAULT_TTL, segment);
    }

    /** A UDP packet with default TOS, id and TTL. */
    public static Packet udp(int srcIp, int dstIp, UdpDatagram datagram) {
        return new Packet(srcIp, dstIp, 0, 0, DEFAULT_TTL, datagram);
    }

    /** An ICMP packet with default TOS, id and TTL. */
    public static Packet icmp(int srcIp, int dstIp, IcmpMessage message) {
        return new Packet(srcIp, dstIp, 0, 0, DEFAULT_TTL, message);
    }

    /** The protocol of the layer-4 part. */
    public Protocol protocol() {
        return transport.protocol();
    }

    /** The TCP segment, or {@code null} when this is not TCP. */
    public TcpSegment tcp() {
        return transport instanceof TcpSegment s ? s : null;
    }

    /** The UDP datagram, or {@code null} when this is not UDP. */
    public UdpDatagram udp() {
        return transport instanceof UdpDatagram d ? d : null;
    }

    /** The ICMP message, or {@code null} when this is not ICMP. */
    public IcmpMessage icmp() {
        return transport instanceof IcmpMessage m ? m : null;
    }

    /** The source port for TCP and UDP, else 0. */
    public int srcPort() {
        if (transport instanceof TcpSegment s) {
            return s.srcPort();
        }
        return transport instanceof UdpDatagram d ? d.srcPort() : 0;
    }

    /** The destination port for TCP and UDP, else 0. */
    public int dstPort() {
        if (transport instanceof TcpSegment s) {
            return s.dstPort();
        }
        return transport instanceof UdpDatagram d ? d.dstPort() : 0;
    }

    /** The IPv4 total-length field: header, layer-4 header and payload. */
    public int totalLength() {
        int l4 = transport.headerLength() + transport.payloadLength();
        if (transport instanceof IcmpMessage m) {
            l4 += m.quotedLength();
        }
        return IPV4_HEADER + l4;
    }

    /** The DSCP code point (upper six bits of TOS). */
    public int dscp() {
        return tos >>> 2;
    }

    /** This packet with another source address and port (port ignored for ICMP). */
    public Packet withSource(int ip, int port) {
        return new Packet(ip, dstIp, tos, ipId, ttl, withPorts(port, dstPort()));
    }

    /** This packet with another destination address and port (port ignored for ICMP). */
    public Packet withDestination(int ip, int port) {
        return new Packet(srcIp, ip, tos, ipId, ttl, withPorts(srcPort(), port));
    }

    /** This packet with another layer-4 part. */
    public Packet withTransport(Transport newTransport) {
        return new Packet(srcIp, dstIp, tos, ipId, ttl, newTransport);
    }

    /** This packet with another TOS byte (DSCP marking). */
    public Packet withTos(int newTos) {
        return new Packet(srcIp, dstIp, newTos, ipId, ttl, transport);
    }

    /** This packet with its TTL lowered by one, as a router forwards it. */
    public Packet decrementTtl() {
        return new Packet(srcIp, dstIp, tos, ipId, Math.max(0, ttl - 1), transport);
    }

    private Transport withPorts(int src, int dst) {
        if (transport instanceof TcpSegment s) {
            return s.withPorts(src, dst);
        }
        return transport instanceof UdpDatagram d ? d.withPorts(src, dst) : transport;
    }

    /** The source as tcpdump prints it: {@code ip.port} for TCP/UDP, {@code ip} otherwise. */
    public String source() {
        return endpoint(srcIp, srcPort());
    }

    /** The destination as tcpdump prints it. */
    public String destination() {
        return endpoint(dstIp, dstPort());
    }

    private String endpoint(int ip, int port) {
        return switch (protocol()) {
            case TCP, UDP -> Ip4.format(ip) + "." + port;
            case ICMP, OTHER -> Ip4.format(ip);
        };
    }

    /**
     * A one-line tcpdump-style summary, e.g.
     * {@code 10.0.0.2.40001 > 10.96.0.10.80: Flags [S], seq 1000, win 64240, options [mss 1460], length 0}.
     */
    public String summary() {
        return PacketSummary.of(this);
    }

    /** Appends {@link #summary()} to {@code s} and returns {@code s}: the same text, no string per field. */
    public StringBuilder appendSummary(StringBuilder s) {
        return PacketSummary.append(s, this, PacketSummary.ABSOLUTE, PacketSummary.ABSOLUTE);
    }

    /**
     * The summary with relative TCP numbers, as tcpdump prints them without {@code -S}: the
     * sequence numbers as distances from {@code seqBase} (the sender's initial sequence number)
     * and the acknowledgement from {@code ackBase} (the receiver's); a base of -1 keeps that
     * number absolute.
     */
    public String summary(long seqBase, long ackBase) {
        return PacketSummary.of(this, seqBase, ackBase);
    }

    @Override
    public String toString() {
        return summary();
    }
}
