package io.kpsim.oracle;

import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Packet;
import io.kpsim.packet.SackBlock;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.UdpDatagram;
import java.nio.ByteBuffer;

/**
 * Encodes a {@link Packet} into IPv4 wire bytes with correct IPv4, TCP, UDP and ICMP checksums
 * (RFC 1071), for the conversations the generator writes. Payload bytes are a deterministic
 * filler; TCP options are written in Linux's SYN order (MSS, SACK-permitted, timestamps, window
 * scale) with NOP padding; an ICMP error carries its quoted header plus 8 bytes of layer 4.
 *
 * <p>Why here and not the pcap codec: the generator was needed before the pcap workstream's codec
 * existed; it only has to produce valid packets, never to read them back.
 */
final class WireEncoder {

    private WireEncoder() {
    }

    /** The whole IPv4 packet. */
    static byte[] encode(Packet p) {
        byte[] l4 = layer4(p);
        ByteBuffer b = ByteBuffer.allocate(20 + l4.length);
        b.put((byte) 0x45).put((byte) p.tos()).putShort((short) (20 + l4.length)).putShort((short) p.ipId())
                .putShort((short) 0x4000).put((byte) p.ttl()).put((byte) p.protocol().number()).putShort((short) 0)
                .putInt(p.srcIp()).putInt(p.dstIp());
        byte[] out = b.put(l4).array();
        int sum = checksum(out, 0, 20, 0);
        out[10] = (byte) (sum >>> 8);
        out[11] = (byte) sum;
        return out;
    }

    private static byte[] layer4(Packet p) {
        if (p.transport() instanceof TcpSegment s) {
            return tcp(p, s);
        }
        if (p.transport() instanceof UdpDatagram d) {
            byte[] u = new byte[8 + d.payloadLength()];
            ByteBuffer.wrap(u).putShort((short) d.srcPort()).putShort((short) d.dstPort()).putShort((short) u.length);
            fill(u, 8);
            int sum = checksum(u, 0, u.length, pseudo(p, u.length));
            sum = sum == 0 ? 0xffff : sum;
            u[6] = (byte) (sum >>> 8);
            u[7] = (byte) sum;
            return u;
        }
        if (p.transport() instanceof IcmpMessage m) {
            byte[] quoted = m.quoted() == null ? new byte[0] : java.util.Arrays.copyOf(encode(m.quoted()), 28);
            byte[] i = new byte[8 + quoted.length + m.payloadLength()];
            ByteBuffer bb = ByteBuffer.wrap(i).put((byte) m.type()).put((byte) m.code()).putShort((short) 0);
            if (m.quoted() == null) {
                bb.putShort((short) m.identifier()).putShort((short) m.sequence());
            } else {
                bb.putInt(m.restOfHeader());
            }
            System.arraycopy(quoted, 0, i, 8, quoted.length);
            fill(i, 8 + quoted.length);
            int sum = checksum(i, 0, i.length, 0);
            i[2] = (byte) (sum >>> 8);
            i[3] = (byte) sum;
            return i;
        }
        throw new IllegalArgumentException("cannot encode protocol " + p.protocol() + " in " + p.summary());
    }

    private static byte[] tcp(Packet p, TcpSegment s) {
        byte[] options = options(s.options());
        int header = 20 + options.length;
        byte[] t = new byte[header + s.payloadLength()];
        ByteBuffer.wrap(t).putShort((short) s.srcPort()).putShort((short) s.dstPort()).putInt(s.seq()).putInt(s.ack())
                .put((byte) ((header / 4) << 4)).put((byte) s.flags()).putShort((short) s.window()).putShort((short) 0)
                .putShort((short) s.urgentPointer()).put(options);
        fill(t, header);
        int sum = checksum(t, 0, t.length, pseudo(p, t.length));
        t[16] = (byte) (sum >>> 8);
        t[17] = (byte) sum;
        return t;
    }

    private static byte[] options(TcpOptions o) {
        ByteBuffer b = ByteBuffer.allocate(40);
        if (o.hasMss()) {
            b.put((byte) 2).put((byte) 4).putShort((short) o.mss());
        }
        if (o.sackPermitted()) {
            b.put((byte) 1).put((byte) 1).put((byte) 4).put((byte) 2);
        }
        if (o.timestamps()) {
            b.put((byte) 1).put((byte) 1).put((byte) 8).put((byte) 10).putInt(o.tsVal()).putInt(o.tsEcr());
        }
        if (o.hasWindowScale()) {
            b.put((byte) 1).put((byte) 3).put((byte) 3).put((byte) o.windowScale());
        }
        if (!o.sackBlocks().isEmpty()) {
            b.put((byte) 1).put((byte) 1).put((byte) 5).put((byte) (2 + 8 * o.sackBlocks().size()));
            for (SackBlock s : o.sackBlocks()) {
                b.putInt(s.left()).putInt(s.right());
            }
        }
        while (b.position() % 4 != 0) {
            b.put((byte) 1);
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static void fill(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            b[i] = (byte) ('a' + (i - from) % 26);
        }
    }

    private static int pseudo(Packet p, int length) {
        return (p.srcIp() >>> 16) + (p.srcIp() & 0xffff) + (p.dstIp() >>> 16) + (p.dstIp() & 0xffff)
                + p.protocol().number() + length;
    }

    /** RFC 1071 one's-complement checksum of {@code b[from, from + length)} plus {@code initial}. */
    static int checksum(byte[] b, int from, int length, int initial) {
        long sum = initial & 0xffffffffL;
        for (int i = from; i + 1 < from + length; i += 2) {
            sum += (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
        }
        if ((length & 1) != 0) {
            sum += (b[from + length - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
