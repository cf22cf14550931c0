package io.kpsim.conntrack;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.SackBlock;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.util.List;

/**
 * One flow of a {@link ConntrackStatefulPropertyTest} chain: a client and a server, the next
 * sequence number each would send, and each one's last segment. {@link #build} turns a {@link
 * ChainStep.Send} into the packet that side sends now and moves its state on as a TCP would, so
 * that well-behaved conversations stay in the window and the odd ones leave it on purpose.
 */
final class ChainEndpoints {

    private static final int[] BAD_FLAGS = {TcpFlags.SYN | TcpFlags.FIN, 0, TcpFlags.FIN, TcpFlags.SYN | TcpFlags.RST};
    private static final String[] BAD_FLAG_NAMES = {"SYN|FIN", "none", "FIN", "SYN|RST"};

    private final int clientIp;
    private final int serverIp;
    private final int clientPort;
    private final int serverPort;
    /** Next sequence number to send, by sender (0 client, 1 server). */
    private final int[] next = new int[2];
    /** Initial sequence number, by sender. */
    private final int[] isn = new int[2];
    /** Last segment sent, by sender (null before the first). */
    private final Packet[] last = new Packet[2];

    /** Flow {@code i} of a chain whose hash seed is {@code seed} (which also picks the ISNs). */
    ChainEndpoints(int i, long seed) {
        clientIp = Ip4.parse("10.244.1." + (1 + i % 3));
        serverIp = Ip4.parse("10.96.0." + (10 + i % 2));
        clientPort = 40000 + i;
        serverPort = 80;
        isn[0] = (int) (seed * 0x9e3779b97f4a7c15L >>> 32) + i * 100_000;
        isn[1] = isn[0] ^ 0x5a5a_0000;
        next[0] = isn[0] + 1;
        next[1] = isn[1] + 1;
    }

    /** The flags of a {@link SegmentKind#BAD_FLAGS} segment with this offset, as a report names them. */
    static String badFlags(int offset) {
        return BAD_FLAG_NAMES[Math.floorMod(offset, BAD_FLAGS.length)];
    }

    /** The segment {@code s} describes, from its sender's state; moves that state on. */
    Packet build(ChainStep.Send s) {
        int snd = s.fromServer() ? 1 : 0;
        int rcv = snd ^ 1;
        if (s.kind() == SegmentKind.RETRANSMISSION && last[snd] != null) {
            return last[snd];
        }
        int seq = next[snd];
        int ack = next[rcv];
        int flags = TcpFlags.ACK;
        int length = 0;
        TcpOptions options = TcpOptions.NONE;
        switch (s.kind()) {
            case SYN, SYN_NEW_ISN, SYNACK -> {
                if (s.kind() == SegmentKind.SYN_NEW_ISN) {
                    isn[snd] += s.isnStep();
                }
                seq = isn[snd];
                next[snd] = seq + 1;
                flags = s.kind() == SegmentKind.SYNACK ? TcpFlags.SYN | TcpFlags.ACK : TcpFlags.SYN;
                ack = s.kind() == SegmentKind.SYNACK ? ack : 0;
                options = TcpOptions.syn(1460, (s.variant() & 1) != 0 ? 7 : TcpOptions.ABSENT, s.variant() >= 2);
            }
            case ACK, RETRANSMISSION -> {}
            case DATA -> {
                length = s.length();
                flags = TcpFlags.PSH | TcpFlags.ACK;
                next[snd] = seq + length;
                if (s.variant() >= 2) {
                    options = TcpOptions.NONE.withSackBlocks(List.of(new SackBlock(ack + 1000, ack + 2000)));
                }
            }
            case FIN -> {
                flags = TcpFlags.FIN | TcpFlags.ACK;
                next[snd] = seq + 1;
            }
            case RST -> {
                flags = TcpFlags.RST;
                ack = 0;
            }
            case RSTACK -> flags = TcpFlags.RST | TcpFlags.ACK;
            case OUT_OF_WINDOW_SEQ -> {
                seq += s.distance();
                length = s.length();
                flags = TcpFlags.PSH | TcpFlags.ACK;
            }
            case OUT_OF_WINDOW_ACK -> ack += s.distance();
            case BAD_FLAGS -> flags = BAD_FLAGS[Math.floorMod(s.offset(), BAD_FLAGS.length)];
        }
        int srcIp = snd == 0 ? clientIp : serverIp;
        int dstIp = snd == 0 ? serverIp : clientIp;
        int srcPort = snd == 0 ? clientPort : serverPort;
        int dstPort = snd == 0 ? serverPort : clientPort;
        Packet p = Packet.tcp(
                srcIp, dstIp, new TcpSegment(srcPort, dstPort, seq, ack, flags, s.window(), 0, options, length));
        last[snd] = p;
        return p;
    }
}
