package io.kpsim.pcap;

import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.OtherTransport;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.UdpDatagram;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes a {@link Packet} into the IPv4 datagram a Linux host would put on the wire: a 20-byte
 * header with its checksum ({@code ip_send_check()}), then the TCP, UDP or ICMP header with its
 * pseudo-header checksum ({@code csum_tcpudp_magic()}; RFC 9293, RFC 768, RFC 792), then payload.
 *
 * <p>kpsim keeps payload lengths, not bytes, so the payload is a deterministic filler (see
 * {@link #FILLER}): the same packet always encodes to the same bytes. An ICMP error carries the
 * quoted packet's IPv4 header and the first 8 bytes of its layer 4 exactly as that packet was
 * encoded, checksums included, as {@code icmp_send()} copies them from the offending skb.
 */
public final class Ipv4Encoder {

    /** The payload filler, repeated: readable in Wireshark's byte pane, and fixed. */
    static final byte[] FILLER = "kpsim payload filler. ".getBytes(StandardCharsets.US_ASCII);

    /** {@code FILLER_PREFIX_SUMS[k]}: the unfolded sum of the filler's first {@code k} bytes. */
    private static final long[] FILLER_PREFIX_SUMS = new long[FILLER.length + 1];

    static {
        if (FILLER.length % 2 != 0) {
            throw new ExceptionInInitializerError("the payload filler must have an even length");
        }
        for (int k = 0; k <= FILLER.length; k++) {
            FILLER_PREFIX_SUMS[k] = InternetChecksum.add(0, FILLER, 0, k);
        }
    }
    /** The largest IPv4 datagram (the total-length field is 16 bits). */
    public static final int MAX_DATAGRAM = 0xffff;

    private static final int DONT_FRAGMENT = 0x4000;

    private Ipv4Encoder() {}

    /**
     * The datagram's bytes.
     *
     * @throws IllegalArgumentException when the packet exceeds 65535 bytes or its TCP options 40
     */
    public static byte[] encode(Packet packet) {
        byte[] bytes = new byte[checkedLength(packet)];
        encode(packet, bytes, 0);
        return bytes;
    }

    /**
     * Writes the datagram into {@code buffer} at {@code offset}; returns its length
     * ({@link Packet#totalLength()}).
     *
     * @throws IllegalArgumentException when the packet is too large or the buffer too small
     */
    public static int encode(Packet packet, byte[] buffer, int offset) {
        return encode(packet, buffer, offset, Integer.MAX_VALUE);
    }

    /**
     * {@link #encode(Packet, byte[], int)}, writing the TCP, UDP or other payload filler only below
     * {@code fillEnd} (a snapped capture keeps no more); headers and checksums are those of the whole
     * datagram, whose filler is summed without being written ({@link #fillerSum}).
     */
    static int encode(Packet packet, byte[] buffer, int offset, int fillEnd) {
        int total = checkedLength(packet);
        if (buffer.length - offset < total) {
            throw new IllegalArgumentException("buffer has " + (buffer.length - offset) + " bytes from offset " + offset
                    + ", the packet needs " + total);
        }
        int l4 = offset + Packet.IPV4_HEADER;
        int l4Length = total - Packet.IPV4_HEADER;
        int protocol = writeTransport(packet, buffer, l4, l4Length, fillEnd);
        byte[] b = buffer;
        b[offset] = 0x45; // version 4, IHL 5
        b[offset + 1] = (byte) packet.tos();
        Bytes.putShort(b, offset + 2, total);
        Bytes.putShort(b, offset + 4, packet.ipId());
        Bytes.putShort(b, offset + 6, dontFragment(packet) ? DONT_FRAGMENT : 0);
        b[offset + 8] = (byte) packet.ttl();
        b[offset + 9] = (byte) protocol;
        Bytes.putShort(b, offset + 10, 0);
        Bytes.putInt(b, offset + 12, packet.srcIp());
        Bytes.putInt(b, offset + 16, packet.dstIp());
        Bytes.putShort(b, offset + 10, InternetChecksum.of(b, offset, Packet.IPV4_HEADER));
        return total;
    }

    private static int checkedLength(Packet packet) {
        int total = packet.totalLength();
        if (total > MAX_DATAGRAM) {
            throw new IllegalArgumentException("packet " + packet.summary() + " is " + total
                    + " bytes, an IPv4 datagram holds at most " + MAX_DATAGRAM);
        }
        return total;
    }

    /** TCP sets DF (path MTU discovery, {@code IP_PMTUDISC_WANT}), as does UDP; ICMP errors do not. */
    private static boolean dontFragment(Packet packet) {
        return packet.protocol() == Protocol.TCP || packet.protocol() == Protocol.UDP;
    }

    private static int writeTransport(Packet packet, byte[] b, int l4, int l4Length, int fillEnd) {
        if (packet.transport() instanceof TcpSegment s) {
            writeTcp(packet, s, b, l4, l4Length, fillEnd);
            return Protocol.TCP.number();
        }
        if (packet.transport() instanceof UdpDatagram d) {
            writeUdp(packet, d, b, l4, l4Length, fillEnd);
            return Protocol.UDP.number();
        }
        if (packet.transport() instanceof IcmpMessage m) {
            writeIcmp(m, b, l4, l4Length);
            return Protocol.ICMP.number();
        }
        OtherTransport other = (OtherTransport) packet.transport();
        fill(b, l4, Math.min(other.payloadLength(), Math.max(0, fillEnd - l4)));
        return other.number();
    }

    private static void writeTcp(Packet packet, TcpSegment s, byte[] b, int p, int l4Length, int fillEnd) {
        int header = s.headerLength();
        Bytes.putShort(b, p, s.srcPort());
        Bytes.putShort(b, p + 2, s.dstPort());
        Bytes.putInt(b, p + 4, s.seq());
        Bytes.putInt(b, p + 8, s.ack());
        b[p + 12] = (byte) ((header / 4) << 4);
        b[p + 13] = (byte) s.flags();
        Bytes.putShort(b, p + 14, s.window());
        Bytes.putShort(b, p + 16, 0);
        Bytes.putShort(b, p + 18, s.urgentPointer() & 0xffff);
        TcpOptionCodec.encode(s.options(), b, p + TcpSegment.MIN_HEADER);
        int payload = s.payloadLength();
        fill(b, p + header, Math.min(payload, Math.max(0, fillEnd - p - header)));
        long sum = InternetChecksum.pseudoHeader(packet.srcIp(), packet.dstIp(), Protocol.TCP.number(), l4Length);
        sum = InternetChecksum.add(sum, b, p, header) + fillerSum(payload); // the header's length is even
        Bytes.putShort(b, p + 16, InternetChecksum.finish(sum));
    }

    private static void writeUdp(Packet packet, UdpDatagram d, byte[] b, int p, int l4Length, int fillEnd) {
        Bytes.putShort(b, p, d.srcPort());
        Bytes.putShort(b, p + 2, d.dstPort());
        Bytes.putShort(b, p + 4, l4Length);
        Bytes.putShort(b, p + 6, 0);
        int payload = d.payloadLength();
        fill(b, p + UdpDatagram.HEADER, Math.min(payload, Math.max(0, fillEnd - p - UdpDatagram.HEADER)));
        long sum = InternetChecksum.pseudoHeader(packet.srcIp(), packet.dstIp(), Protocol.UDP.number(), l4Length);
        sum = InternetChecksum.add(sum, b, p, UdpDatagram.HEADER) + fillerSum(payload);
        int checksum = InternetChecksum.finish(sum);
        Bytes.putShort(b, p + 6, checksum == 0 ? 0xffff : checksum); // 0 means "no checksum" (RFC 768)
    }

    private static void writeIcmp(IcmpMessage m, byte[] b, int p, int l4Length) {
        b[p] = (byte) m.type();
        b[p + 1] = (byte) m.code();
        Bytes.putShort(b, p + 2, 0);
        int data = p + IcmpMessage.HEADER;
        if (m.isError() || m.quoted() != null) {
            Bytes.putInt(b, p + 4, m.restOfHeader());
        } else {
            Bytes.putShort(b, p + 4, m.identifier());
            Bytes.putShort(b, p + 6, m.sequence());
        }
        if (m.quoted() != null) {
            byte[] inner = encode(m.quoted());
            int quoted = m.quotedLength();
            int copied = Math.min(quoted, inner.length);
            System.arraycopy(inner, 0, b, data, copied);
            Arrays.fill(b, data + copied, data + quoted, (byte) 0);
            data += quoted;
        }
        fill(b, data, m.payloadLength());
        Bytes.putShort(b, p + 2, InternetChecksum.of(b, p, l4Length));
    }

    /**
     * The unfolded Internet-checksum sum of {@code length} bytes of filler starting at an even offset
     * of the summed range: whole repetitions of {@link #FILLER} (of even length, so each starts at an
     * even offset too) times one repetition's sum, plus the sum of the rest. RFC 1071 §2(A): sums of
     * word-aligned parts add up (ones' complement addition is associative and commutative).
     */
    static long fillerSum(int length) {
        return (long) (length / FILLER.length) * FILLER_PREFIX_SUMS[FILLER.length]
                + FILLER_PREFIX_SUMS[length % FILLER.length];
    }

    private static void fill(byte[] b, int offset, int length) {
        int n = FILLER.length;
        int done = 0;
        while (done < length) {
            int chunk = Math.min(n, length - done);
            System.arraycopy(FILLER, 0, b, offset + done, chunk);
            done += chunk;
        }
    }
}
