package io.kpsim.cluster;

import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.tcp.TcpInfo;
import io.kpsim.tcp.TcpSocket;

/**
 * Builds segments a raw socket writes on an existing connection: addressed exactly as the
 * socket's own segments (its pod IP and port to the peer's), with the numbers a test chooses.
 */
final class ForgedSegments {

    private ForgedSegments() {}

    /** The 16-bit window field the socket would put on a segment now. */
    static int windowField(TcpSocket socket, int windowScale) {
        TcpInfo info = socket.info();
        long window = info.receiveWindow();
        if (info.windowScaling() && windowScale > 0) {
            window >>= windowScale;
        }
        return (int) Math.min(0xffff, Math.max(0, window));
    }

    /** A segment from {@code socket}'s end of the connection. */
    static Packet from(TcpSocket socket, int seq, int ack, int flags, int window, int payloadBytes) {
        TcpSegment s = new TcpSegment(
                socket.localPort(), socket.remotePort(), seq, ack, flags, window, 0, TcpOptions.NONE, payloadBytes);
        return Packet.tcp(socket.localIp(), socket.remoteIp(), s);
    }

    /**
     * The segment of {@code kind} that {@code server} forges towards {@code client} (the same
     * connection seen from the other pod), {@code offset} bytes past the bound as
     * {@link InjectionKind} defines it, or placed automatically for {@link InjectionSpec#AUTO_OFFSET}.
     *
     * @param clientBufferLimit the client stack's receive buffer limit ({@code tcp_rmem[2]})
     */
    static Packet breaking(
            InjectionKind kind,
            long offset,
            TcpSocket server,
            TcpSocket client,
            int serverWindowScale,
            int clientBufferLimit) {
        if (offset != InjectionSpec.AUTO_OFFSET) {
            return offsetBy(kind, offset, server, client, serverWindowScale);
        }
        int window = windowField(server, serverWindowScale);
        // Conntrack's td_maxwin for the client is the largest scaled window it ever advertised, at
        // most its receive buffer limit; twice that plus 100,000 clears both bounds however the
        // window moves while the segment is in flight (the 6.1+ overshoot allowance is td_maxwin).
        long margin = 2L * Math.max(client.info().receiveCapacity(), clientBufferLimit) + 100_000L;
        int flags = TcpFlags.PSH | TcpFlags.ACK;
        return switch (kind) {
            case ABOVE_UPPER_BOUND ->
                from(
                        server,
                        (int) (client.rcvNxt() + margin),
                        server.rcvNxt(),
                        flags,
                        window,
                        BoomServerSpec.PAYLOAD_BYTES);
            case BELOW_LOWER_BOUND ->
                from(
                        server,
                        (int) (server.sndNxt() - margin),
                        server.rcvNxt(),
                        flags,
                        window,
                        BoomServerSpec.PAYLOAD_BYTES);
            case BAD_ACK -> from(server, server.sndNxt(), client.sndNxt() + 1_000_000, TcpFlags.ACK, window, 0);
        };
    }

    /** The segment {@code offset} bytes past {@code kind}'s bound. */
    private static Packet offsetBy(
            InjectionKind kind, long offset, TcpSocket server, TcpSocket client, int serverWindowScale) {
        int window = windowField(server, serverWindowScale);
        int flags = TcpFlags.PSH | TcpFlags.ACK;
        return switch (kind) {
            case ABOVE_UPPER_BOUND ->
                from(
                        server,
                        (int) (client.rcvNxt() + client.info().receiveWindow() + offset),
                        server.rcvNxt(),
                        flags,
                        window,
                        BoomServerSpec.PAYLOAD_BYTES);
            case BELOW_LOWER_BOUND ->
                from(
                        server,
                        (int) (server.sndNxt() - offset),
                        server.rcvNxt(),
                        flags,
                        window,
                        BoomServerSpec.PAYLOAD_BYTES);
            case BAD_ACK -> from(server, server.sndNxt(), (int) (client.sndNxt() + offset), TcpFlags.ACK, window, 0);
        };
    }
}
