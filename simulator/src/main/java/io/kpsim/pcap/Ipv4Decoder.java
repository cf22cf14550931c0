package io.kpsim.pcap;

import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.OtherTransport;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.Transport;
import io.kpsim.packet.UdpDatagram;

/**
 * Decodes IPv4 datagram bytes into a {@link Packet}, checking what the kernel checks before
 * conntrack sees a packet.
 *
 * <p>Header sanity follows {@code ip_rcv_core()} (version, IHL, total length) and the
 * per-protocol {@code tcp_error()}/{@code udp_error()}/{@code icmp_error()} length checks in
 * nf_conntrack; a frame that fails them is skipped with a short reason. Fragments are skipped:
 * conntrack only ever sees reassembled datagrams ({@code nf_defrag_ipv4}). ICMP errors are decoded
 * with their quoted IPv4 header and 8 bytes of layer 4, the part {@code icmp_error_message()} reads:
 * a quoted TCP segment keeps only ports and sequence number (other fields 0, payload length 0), a
 * quoted UDP datagram only its ports. IPv4 options are accepted and skipped.
 *
 * <p>The IPv4 and layer-4 checksums are not summed here: the {@link DecodedPacket} records where
 * they are and sums them when first asked, so {@code bytes} must not change after decoding.
 */
public final class Ipv4Decoder {

    private static final int MORE_FRAGMENTS = 0x2000;
    private static final int OFFSET_MASK = 0x1fff;

    private Ipv4Decoder() {}

    /** Decodes {@code length} bytes at {@code offset}: a whole datagram, possibly with link padding. */
    public static DecodedPacket decode(byte[] bytes, int offset, int length) {
        return decode(bytes, offset, length, false);
    }

    /**
     * Decodes a datagram whose length on the wire is unknown beyond what {@code snapped} says.
     *
     * @param bytes the buffer
     * @param offset where the IPv4 header starts
     * @param length bytes present from {@code offset} (trailing link-layer padding is ignored)
     * @param snapped whether the capture cut the frame short (snap length): then headers are
     *        decoded from the bytes present, lengths come from the headers, and the layer-4
     *        checksum is left unchecked; otherwise a datagram longer than the bytes present is
     *        skipped as truncated
     */
    public static DecodedPacket decode(byte[] bytes, int offset, int length, boolean snapped) {
        return decode(bytes, offset, length, snapped ? Integer.MAX_VALUE : length);
    }

    /**
     * Decodes a datagram of which {@code length} bytes were captured out of {@code wireLength}.
     *
     * <p>A total length over {@code wireLength} is the kernel's "truncated packet": {@code ip_rcv_core()}
     * drops it ({@code skb->len < len}, counted as {@code InTruncatedPkts}) before PREROUTING, so
     * conntrack never sees it, and neither does replay: the record is skipped. A capture's snap
     * length shortens the captured bytes, never the wire length, so that check stands for snapped
     * frames too; within it, a snapped frame's lengths come from its headers.
     *
     * @param bytes the buffer
     * @param offset where the IPv4 header starts
     * @param length bytes present from {@code offset}
     * @param wireLength bytes the datagram's frame carried from {@code offset} on the wire (the
     *        record's original length less the link header); at least {@code length}
     */
    public static DecodedPacket decode(byte[] bytes, int offset, int length, int wireLength) {
        boolean snapped = wireLength > length;
        if (length < 1) {
            return DecodedPacket.skip("empty frame");
        }
        int version = (bytes[offset] & 0xff) >>> 4;
        if (version != 4) {
            return DecodedPacket.skip("not IPv4 (IP version " + version + ")");
        }
        if (length < Packet.IPV4_HEADER) {
            return DecodedPacket.skip("truncated IPv4 header");
        }
        int headerLength = (bytes[offset] & 0x0f) * 4;
        if (headerLength < Packet.IPV4_HEADER) {
            return DecodedPacket.skip("bad IPv4 header length " + headerLength);
        }
        if (length < headerLength) {
            return DecodedPacket.skip("truncated IPv4 header");
        }
        int total = Bytes.getShort(bytes, offset + 2);
        if (total == 0
                && (bytes[offset + 9] & 0xff) == Protocol.TCP.number()
                && wireLength > 0xffff
                && wireLength != Integer.MAX_VALUE) {
            // BIG TCP (Linux 6.3+): a GSO super-packet over 64 KiB carries tot_len 0, and the kernel
            // takes its length from the skb (iph_totlen()); one skb, tracked as one segment.
            total = wireLength;
        }
        if (total < headerLength) {
            return DecodedPacket.skip("IPv4 total length " + total + " is shorter than its header");
        }
        if (total > wireLength) { // unsnapped: wireLength is the bytes captured
            return DecodedPacket.skip("truncated IPv4 packet (total length " + total + ", " + wireLength
                    + " bytes on the wire): ip_rcv() drops it before conntrack");
        }
        int fragment = Bytes.getShort(bytes, offset + 6);
        if ((fragment & (MORE_FRAGMENTS | OFFSET_MASK)) != 0) {
            return DecodedPacket.skip("IP fragment");
        }
        int tos = bytes[offset + 1] & 0xff;
        int ipId = Bytes.getShort(bytes, offset + 4);
        int ttl = bytes[offset + 8] & 0xff;
        int protocol = bytes[offset + 9] & 0xff;
        int srcIp = Bytes.getInt(bytes, offset + 12);
        int dstIp = Bytes.getInt(bytes, offset + 16);
        int l4 = offset + headerLength;
        int l4Length = total - headerLength;
        int l4Present = Math.min(total, length) - headerLength;
        boolean whole = l4Present == l4Length;

        Transport transport;
        long checksumSeed = 0;
        int checksumAt = -1;
        boolean optionsCut = false;
        switch (Protocol.of(protocol)) {
            case TCP -> {
                if (l4Present < TcpSegment.MIN_HEADER) {
                    return DecodedPacket.skip("truncated TCP header");
                }
                int dataOffset = ((bytes[l4 + 12] & 0xff) >>> 4) * 4;
                if (dataOffset < TcpSegment.MIN_HEADER) {
                    return DecodedPacket.skip("bad TCP data offset " + dataOffset);
                }
                if (dataOffset > l4Length) {
                    return DecodedPacket.skip(
                            "TCP data offset " + dataOffset + " exceeds the " + l4Length + "-byte segment");
                }
                optionsCut = dataOffset > l4Present;
                if (optionsCut && !snapped) {
                    return DecodedPacket.skip("truncated TCP header");
                }
                // A snap length that cuts the options (tcpdump -s 64) leaves the fixed header: decode the options that
                // fit.
                int optionBytes = Math.min(dataOffset, l4Present) - TcpSegment.MIN_HEADER;
                TcpOptions options = optionBytes == 0
                        ? TcpOptions.NONE
                        : TcpOptionCodec.decode(bytes, l4 + TcpSegment.MIN_HEADER, optionBytes);
                transport = new TcpSegment(
                        Bytes.getShort(bytes, l4),
                        Bytes.getShort(bytes, l4 + 2),
                        Bytes.getInt(bytes, l4 + 4),
                        Bytes.getInt(bytes, l4 + 8),
                        bytes[l4 + 13] & 0xff,
                        Bytes.getShort(bytes, l4 + 14),
                        Bytes.getShort(bytes, l4 + 18),
                        options,
                        l4Length - dataOffset);
                checksumSeed = InternetChecksum.pseudoHeader(srcIp, dstIp, protocol, l4Length);
                checksumAt = l4 + 16;
            }
            case UDP -> {
                if (l4Present < UdpDatagram.HEADER) {
                    return DecodedPacket.skip("truncated UDP header");
                }
                int udpLength = Bytes.getShort(bytes, l4 + 4);
                if (udpLength < UdpDatagram.HEADER || udpLength > l4Length) {
                    return DecodedPacket.skip("bad UDP length " + udpLength + " in a " + l4Length + "-byte datagram");
                }
                transport = new UdpDatagram(
                        Bytes.getShort(bytes, l4), Bytes.getShort(bytes, l4 + 2), udpLength - UdpDatagram.HEADER);
                if (Bytes.getShort(bytes, l4 + 6) == 0) { // RFC 768: the sender computed no checksum
                    return DecodedPacket.lazy(
                            new Packet(srcIp, dstIp, tos, ipId, ttl, transport),
                            bytes,
                            offset,
                            headerLength,
                            whole,
                            l4,
                            DecodedPacket.NO_L4_CHECKSUM,
                            0,
                            -1,
                            false);
                }
                l4Length = udpLength; // bytes past the UDP length are not covered by its checksum
                whole = l4Present >= udpLength;
                checksumSeed = InternetChecksum.pseudoHeader(srcIp, dstIp, protocol, udpLength);
                checksumAt = l4 + 6;
            }
            case ICMP -> {
                if (l4Present < IcmpMessage.HEADER) {
                    return DecodedPacket.skip("truncated ICMP header");
                }
                Object icmp = decodeIcmp(bytes, l4, l4Length, l4Present);
                if (icmp instanceof String reason) {
                    return DecodedPacket.skip(reason);
                }
                transport = (IcmpMessage) icmp;
            }
            case OTHER -> {
                return DecodedPacket.lazy(
                        new Packet(srcIp, dstIp, tos, ipId, ttl, new OtherTransport(protocol, l4Length)),
                        bytes,
                        offset,
                        headerLength,
                        false,
                        l4,
                        DecodedPacket.NO_L4_CHECKSUM,
                        0,
                        -1,
                        false);
            }
            default -> throw new IllegalStateException("unreachable protocol " + protocol);
        }
        return DecodedPacket.lazy(
                new Packet(srcIp, dstIp, tos, ipId, ttl, transport),
                bytes,
                offset,
                headerLength,
                whole,
                l4,
                whole ? l4Length : DecodedPacket.NO_L4_CHECKSUM,
                checksumSeed,
                checksumAt,
                optionsCut);
    }

    /** An {@link IcmpMessage}, or a skip reason as a {@code String}. */
    private static Object decodeIcmp(byte[] b, int p, int l4Length, int l4Present) {
        int type = b[p] & 0xff;
        int code = b[p + 1] & 0xff;
        if (!isIcmpError(type)) {
            return IcmpMessage.echo(
                    type, Bytes.getShort(b, p + 4), Bytes.getShort(b, p + 6), l4Length - IcmpMessage.HEADER);
        }
        int inner = p + IcmpMessage.HEADER;
        int innerPresent = l4Present - IcmpMessage.HEADER;
        if (innerPresent < Packet.IPV4_HEADER) {
            return "truncated ICMP error (quoted IPv4 header incomplete)";
        }
        int innerVersion = (b[inner] & 0xff) >>> 4;
        int innerHeader = (b[inner] & 0x0f) * 4;
        if (innerVersion != 4 || innerHeader < Packet.IPV4_HEADER) {
            return "ICMP error quotes a malformed IPv4 header";
        }
        if (innerPresent < innerHeader + 8) {
            return "truncated ICMP error (quoted header plus 8 bytes incomplete)";
        }
        Packet quoted = decodeQuoted(b, inner, innerHeader);
        int payload = l4Length - IcmpMessage.HEADER - innerHeader - 8;
        return new IcmpMessage(type, code, 0, 0, Bytes.getInt(b, p + 4), quoted, payload);
    }

    /** {@code icmp_is_err()}: the types that quote an offending packet. */
    private static boolean isIcmpError(int type) {
        return switch (type) {
            case IcmpMessage.DEST_UNREACH,
                    IcmpMessage.SOURCE_QUENCH,
                    IcmpMessage.REDIRECT,
                    IcmpMessage.TIME_EXCEEDED,
                    IcmpMessage.PARAMETER_PROBLEM -> true;
            default -> false;
        };
    }

    /** The quoted packet of an ICMP error: its IPv4 header and the first 8 bytes of layer 4. */
    private static Packet decodeQuoted(byte[] b, int ip, int headerLength) {
        int protocol = b[ip + 9] & 0xff;
        int l4 = ip + headerLength;
        Transport transport = switch (Protocol.of(protocol)) {
            case TCP ->
                new TcpSegment(
                        Bytes.getShort(b, l4),
                        Bytes.getShort(b, l4 + 2),
                        Bytes.getInt(b, l4 + 4),
                        0,
                        0,
                        0,
                        0,
                        TcpOptions.NONE,
                        0);
            case UDP -> new UdpDatagram(Bytes.getShort(b, l4), Bytes.getShort(b, l4 + 2), 0);
            case ICMP ->
                new IcmpMessage(
                        b[l4] & 0xff,
                        b[l4 + 1] & 0xff,
                        Bytes.getShort(b, l4 + 4),
                        Bytes.getShort(b, l4 + 6),
                        0,
                        null,
                        0);
            case OTHER -> new OtherTransport(protocol, 0);
        };
        return new Packet(
                Bytes.getInt(b, ip + 12),
                Bytes.getInt(b, ip + 16),
                b[ip + 1] & 0xff,
                Bytes.getShort(b, ip + 4),
                b[ip + 8] & 0xff,
                transport);
    }
}
