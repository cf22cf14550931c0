package io.kpsim.replay;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.pcap.PcapWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds small captures of the blog's conversation for replay tests: a client pod talking to a
 * ClusterIP service whose only endpoint is a server pod. Client packets go to the VIP; server
 * packets come from the pod IP, as they arrive at the client's node.
 */
final class CaptureFixture {

    static final int CLIENT = Ip4.parse("10.244.1.2");
    static final int VIP = Ip4.parse("10.96.0.10");
    static final int POD = Ip4.parse("10.244.2.3");
    static final int CLIENT_PORT = 40001;
    static final int VIP_PORT = 80;
    static final int POD_PORT = 8080;
    static final String SERVICE = "10.96.0.10:80=10.244.2.3:8080";
    static final int CLIENT_ISN = 1000;
    static final int SERVER_ISN = 5000;

    private final List<Packet> packets = new ArrayList<>();

    CaptureFixture client(int flags, int seq, int ack, int window, int length, TcpOptions options) {
        packets.add(Packet.tcp(
                CLIENT, VIP, new TcpSegment(CLIENT_PORT, VIP_PORT, seq, ack, flags, window, 0, options, length)));
        return this;
    }

    CaptureFixture server(int flags, int seq, int ack, int window, int length, TcpOptions options) {
        packets.add(Packet.tcp(
                POD, CLIENT, new TcpSegment(POD_PORT, CLIENT_PORT, seq, ack, flags, window, 0, options, length)));
        return this;
    }

    /** The client's answer to a packet from the pod IP it has no socket for: RST to the pod IP. */
    CaptureFixture clientRstToPod(int seq) {
        packets.add(Packet.tcp(
                CLIENT, POD, new TcpSegment(CLIENT_PORT, POD_PORT, seq, 0, TcpFlags.RST, 0, 0, TcpOptions.NONE, 0)));
        return this;
    }

    /** SYN, SYN-ACK, ACK with Linux's options (MSS 1460, SACK, wscale 7). */
    CaptureFixture handshake() {
        TcpOptions syn = TcpOptions.syn(1460, 7, true);
        client(TcpFlags.SYN, CLIENT_ISN, 0, 64240, 0, syn);
        server(TcpFlags.SYN | TcpFlags.ACK, SERVER_ISN, CLIENT_ISN + 1, 65160, 0, syn);
        client(TcpFlags.ACK, CLIENT_ISN + 1, SERVER_ISN + 1, 502, 0, TcpOptions.NONE);
        return this;
    }

    /** The blog's story: handshake, request, one data segment, its ACK, the out-of-window segment, the RST. */
    static CaptureFixture blogStory() {
        CaptureFixture f = new CaptureFixture().handshake();
        int psh = TcpFlags.PSH | TcpFlags.ACK;
        f.client(psh, CLIENT_ISN + 1, SERVER_ISN + 1, 502, 100, TcpOptions.NONE);
        f.server(TcpFlags.ACK, SERVER_ISN + 1, CLIENT_ISN + 101, 509, 1448, TcpOptions.NONE);
        f.client(TcpFlags.ACK, CLIENT_ISN + 101, SERVER_ISN + 1449, 502, 0, TcpOptions.NONE);
        // Far beyond td_maxend (ack + 502 << 7) by more than the client's maximum window: INVALID on both kernels.
        f.server(psh, SERVER_ISN + 1449 + 300_000, CLIENT_ISN + 101, 509, 1448, TcpOptions.NONE);
        f.clientRstToPod(CLIENT_ISN + 101);
        return f;
    }

    Path write(Path file) {
        try (PcapWriter writer = PcapWriter.create(file)) {
            long t = 1_700_000_000_000_000_000L;
            for (Packet p : packets) {
                writer.write(t, p);
                t += 1_000_000L;
            }
        }
        return file;
    }
}
