package io.kpsim.replay;

import io.kpsim.packet.OtherTransport;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpSegment;
import java.nio.charset.StandardCharsets;

/**
 * The packet's own keys of a replay line ({@code ts}, {@code src}, {@code dst}, {@code proto},
 * {@code flags}, {@code seq}, {@code ack}, {@code len}: DESIGN.md "Replay output", "for
 * scripts"), written straight into the line's bytes: no string per field, the flag strings and
 * keys prepared once.
 *
 * <p>{@code src}/{@code dst} are the addresses as received ({@code ip:port} for TCP and UDP,
 * {@code ip} otherwise); {@code proto} is {@code tcp}, {@code udp}, {@code icmp} or the protocol
 * number; {@code flags} is tcpdump's flag string ({@code S}, {@code S.}, {@code P.}, {@code R});
 * {@code seq} and {@code ack} are the raw 32-bit numbers; {@code len} is the payload after the
 * layer-4 header (tcpdump's {@code length} for TCP and UDP). Fields a protocol has not are
 * {@code null}.
 */
final class PacketFields {

    private static final byte[] TS = bytes(",\"ts\":");
    private static final byte[] SRC = bytes(",\"src\":");
    private static final byte[] DST = bytes(",\"dst\":");
    private static final byte[] PROTO = bytes(",\"proto\":");
    private static final byte[] FLAGS = bytes(",\"flags\":");
    private static final byte[] SEQ = bytes(",\"seq\":");
    private static final byte[] ACK = bytes(",\"ack\":");
    private static final byte[] LEN = bytes(",\"len\":");
    private static final byte[][] FLAG_LITERALS = new byte[256][];
    private static final byte[] TCP = JsonText.literalBytes("tcp");
    private static final byte[] UDP = JsonText.literalBytes("udp");
    private static final byte[] ICMP = JsonText.literalBytes("icmp");

    static {
        for (int f = 0; f < 256; f++) {
            FLAG_LITERALS[f] = JsonText.literalBytes(TcpFlags.tcpdump(f));
        }
    }

    private PacketFields() {}

    /** Appends the keys of {@code r}'s packet (non-null) after {@code "index":N}. */
    static void append(JsonText out, ReplayRecord r) {
        Packet p = r.packet();
        Protocol proto = p.protocol();
        boolean ports = proto == Protocol.TCP || proto == Protocol.UDP;
        out.raw(TS).timestamp(r.timestampNanos(), r.timestampDigits());
        out.raw(SRC).address(p.srcIp(), ports ? p.srcPort() : -1);
        out.raw(DST).address(p.dstIp(), ports ? p.dstPort() : -1);
        out.raw(PROTO);
        switch (proto) {
            case TCP -> out.raw(TCP);
            case UDP -> out.raw(UDP);
            case ICMP -> out.raw(ICMP);
            case OTHER -> out.ascii('"').number(proto(p)).ascii('"');
        }
        TcpSegment tcp = p.tcp();
        out.raw(FLAGS);
        if (tcp != null) {
            out.raw(FLAG_LITERALS[tcp.flags() & 0xff])
                    .raw(SEQ)
                    .number(tcp.seq() & 0xffffffffL)
                    .raw(ACK)
                    .number(tcp.ack() & 0xffffffffL);
        } else {
            out.nullValue().raw(SEQ).nullValue().raw(ACK).nullValue();
        }
        out.raw(LEN).number(p.transport().payloadLength());
    }

    private static int proto(Packet p) {
        return p.transport() instanceof OtherTransport o
                ? o.number()
                : p.protocol().number();
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }
}
