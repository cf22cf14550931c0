package io.kpsim.cluster;

import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.tcp.TcpSocket;

/**
 * Builds segments a raw socket writes on an existing connection: addressed exactly as the
 * socket's own segments (its pod IP and port to the peer's), with the numbers a test chooses.
 */
final class ForgedSegments {

    private ForgedSegments() {
    }

    /** The 16-bit window field the socket would put on a segment now. */
    static int windowField(TcpSocket socket, int windowScale) {
        long window = socket.receiveWindow();
        if (socket.windowScaling() && windowScale > 0) {
            window >>= windowScale;
        }
        return (int) Math.min(0xffff, Math.max(0, window));
    }

    /** A segment from {@code socket}'s end of the connection. */
    static Packet from(TcpSocket socket, int seq, int ack, int flags, int window, int payloadBytes) {
        TcpSegment s = new TcpSegment(socket.localPort(), socket.remotePort(), seq, ack, flags, window, 0,
                TcpOptions.NONE, payloadBytes);
        return Packet.tcp(socket.localIp(), socket.remoteIp(), s);
    }

    /**
     * The segment of {@code kind} that {@code server} forges towards {@code client} (the same
     * connection seen from the other pod).
     */
    static Packet breaking(InjectionKind kind, TcpSocket server, TcpSocket client, int serverWindowScale) {
        int window = windowField(server, serverWindowScale);
        // The receiver's largest window is at most twice its current receive buffer capacity (the
        // window conntrack stores as td_maxwin is the scaled advertised one).
        long clientMaxWindow = Math.max(client.receiveCapacity(), client.receiveWindow());
        int flags = TcpFlags.PSH | TcpFlags.ACK;
        return switch (kind) {
            case ABOVE_UPPER_BOUND -> from(server, (int) (client.rcvNxt() + 2 * clientMaxWindow + 100_000L),
                    server.rcvNxt(), flags, window, BoomServerSpec.PAYLOAD_BYTES);
            case BELOW_LOWER_BOUND -> from(server, (int) (server.sndNxt() - 2 * clientMaxWindow - 100_000L),
                    server.rcvNxt(), flags, window, BoomServerSpec.PAYLOAD_BYTES);
            case BAD_ACK -> from(server, server.sndNxt(), client.sndNxt() + 1_000_000, TcpFlags.ACK, window, 0);
        };
    }
}
