package io.kpsim.tcp;

import io.kpsim.packet.Packet;
import io.kpsim.packet.SackBlock;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.util.List;

/**
 * Turns a connection's state into an outgoing segment, as Linux's {@code tcp_transmit_skb} and
 * {@code tcp_options_write} do: the ACK field is RCV.NXT, the window comes from the receive
 * buffer ({@link TcpReceiver#windowField}), a SYN carries MSS, SACK-permitted and window scale
 * (a SYN-ACK only those the peer offered, RFC 7323 §1.3 and RFC 2018 §2), other segments carry
 * SACK blocks while there is out-of-order data or a D-SACK to report. A RST advertises window 0.
 */
final class SegmentWriter {

    private SegmentWriter() {}

    static Packet build(TcpSocket socket, int seq, int len, int flags) {
        TcpConfig config = socket.stack().config();
        TcpReceiver receiver = socket.receiver();
        boolean syn = (flags & TcpFlags.SYN) != 0;
        boolean ack = (flags & TcpFlags.ACK) != 0;
        TcpOptions options = TcpOptions.NONE;
        if (syn) {
            boolean offerScale = config.windowScale() >= 0 && (!ack || socket.windowScaling());
            options = TcpOptions.syn(
                    config.mss(),
                    offerScale ? config.windowScale() : TcpOptions.ABSENT,
                    config.sack() && (!ack || socket.sender().sackOk()));
        } else if (ack && socket.sender().sackOk()) {
            List<SackBlock> blocks = receiver.sackBlocks();
            if (!blocks.isEmpty()) {
                options = TcpOptions.NONE.withSackBlocks(blocks);
            }
        }
        int window = (flags & TcpFlags.RST) != 0 ? 0 : receiver.windowField(syn);
        TcpSegment segment = new TcpSegment(
                socket.localPort(),
                socket.remotePort(),
                seq,
                ack ? receiver.rcvNxt() : 0,
                flags,
                window,
                0,
                options,
                len);
        if (ack) {
            receiver.ackSent();
        }
        return Packet.tcp(socket.localIp(), socket.remoteIp(), segment);
    }
}
