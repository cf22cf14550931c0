package io.kpsim.oracle;

import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Seq;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.util.ArrayList;
import java.util.List;

/**
 * One generated TCP conversation between a client and a ClusterIP service, as the node sees it:
 * client packets go to the VIP, server packets come from the pod IP (the node reverse-NATs them).
 * Keeps both endpoints' next sequence numbers and windows, and an estimate of conntrack's
 * per-direction window data ({@code td_end}, {@code td_maxend}, {@code td_maxwin}, see
 * {@code tcp_in_window()}) so the generator can aim packets at the four window bounds.
 */
final class TcpFlow {

    /** One direction: the sender's sequence space and conntrack's estimate of its window data. */
    static final class Side {
        final boolean client;
        int next;
        int window;
        int scale;
        int mss;
        int tdEnd;
        int tdMaxEnd;
        int tdMaxWin;

        Side(boolean client) {
            this.client = client;
        }
    }

    final int clientIp;
    final int clientPort;
    final int vip;
    final int vipPort;
    final int podIp;
    final int podPort;
    final Side c = new Side(true);
    final Side s = new Side(false);
    private final List<Packet> packets = new ArrayList<>();
    private int ipId;
    private boolean clientToPod;

    TcpFlow(int clientIp, int clientPort, int vip, int vipPort, int podIp, int podPort) {
        this.clientIp = clientIp;
        this.clientPort = clientPort;
        this.vip = vip;
        this.vipPort = vipPort;
        this.podIp = podIp;
        this.podPort = podPort;
    }

    List<Packet> packets() {
        return packets;
    }

    /**
     * Makes the client address the pod directly (no VIP). Needed after a server-first pickup: the
     * entry is then pod→client, and a client packet to the VIP would start a second connection
     * whose reply tuple clashes with it, so the kernel would remap its source port at random
     * ({@code nf_nat_used_tuple()}), which no model can reproduce.
     */
    void clientToPod() {
        clientToPod = true;
    }

    Side peer(Side x) {
        return x == c ? s : c;
    }

    /** Sends a raw segment from {@code from} and updates the window estimates as if accepted. */
    Packet send(Side from, int seq, int ack, int flags, int window, TcpOptions options, int length) {
        TcpSegment seg = from.client
                ? new TcpSegment(
                        clientPort, clientToPod ? podPort : vipPort, seq, ack, flags, window, 0, options, length)
                : new TcpSegment(podPort, clientPort, seq, ack, flags, window, 0, options, length);
        int clientDst = clientToPod ? podIp : vip;
        Packet p = new Packet(
                from.client ? clientIp : podIp,
                from.client ? clientDst : clientIp,
                0,
                ++ipId & 0xffff,
                Packet.DEFAULT_TTL,
                seg);
        packets.add(p);
        Side to = peer(from);
        int end = seg.end();
        boolean syn = seg.has(TcpFlags.SYN);
        int swin = syn ? window : window << from.scale;
        if (from.tdMaxWin == 0) {
            from.tdEnd = end;
            from.tdMaxEnd = end;
        }
        if (Seq.after(end, from.tdEnd)) {
            from.tdEnd = end;
        }
        from.tdMaxWin = Math.max(from.tdMaxWin, Math.max(swin, 1));
        if (Seq.after(end, from.tdMaxEnd)) {
            from.tdMaxEnd = end;
        }
        if (seg.has(TcpFlags.ACK) && to.tdMaxWin != 0 && Seq.after(ack + Math.max(swin, 1), to.tdMaxEnd)) {
            to.tdMaxEnd = ack + Math.max(swin, 1);
        }
        return p;
    }

    /** An in-order segment from {@code from}: next seq, acking everything, current window. */
    Packet segment(Side from, int flags, int length) {
        Packet p = send(from, from.next, peer(from).next, flags | TcpFlags.ACK, from.window, TcpOptions.NONE, length);
        from.next = p.tcp().end();
        return p;
    }

    /** Data from {@code from} in MSS-sized segments, then the peer's ACK. */
    void data(Side from, int bytes) {
        int left = bytes;
        while (left > 0) {
            int n = Math.min(left, from.mss);
            segment(from, left == n ? TcpFlags.PSH : 0, n);
            left -= n;
        }
        segment(peer(from), 0, 0);
    }

    /** The three-way handshake with the given options (window scale {@link TcpOptions#ABSENT} allowed). */
    void handshake(int clientScale, int serverScale) {
        Packet syn = send(c, c.next, 0, TcpFlags.SYN, c.window, TcpOptions.syn(c.mss, clientScale, true), 0);
        c.next = syn.tcp().end();
        Packet synAck = send(
                s, s.next, c.next, TcpFlags.SYN | TcpFlags.ACK, s.window, TcpOptions.syn(s.mss, serverScale, true), 0);
        s.next = synAck.tcp().end();
        boolean scaling = clientScale != TcpOptions.ABSENT && serverScale != TcpOptions.ABSENT;
        c.scale = scaling ? Math.min(clientScale, 14) : 0;
        s.scale = scaling ? Math.min(serverScale, 14) : 0;
        segment(c, 0, 0);
    }

    /** Orderly close: {@code first} sends FIN, the peer ACKs and FINs, {@code first} ACKs. */
    void close(Side first) {
        segment(first, TcpFlags.FIN, 0);
        segment(peer(first), 0, 0);
        segment(peer(first), TcpFlags.FIN, 0);
        segment(first, 0, 0);
    }

    /** Both FINs cross, then both ACK. */
    void simultaneousClose() {
        Packet cf = send(c, c.next, s.next, TcpFlags.FIN | TcpFlags.ACK, c.window, TcpOptions.NONE, 0);
        Packet sf = send(s, s.next, c.next, TcpFlags.FIN | TcpFlags.ACK, s.window, TcpOptions.NONE, 0);
        c.next = cf.tcp().end();
        s.next = sf.tcp().end();
        segment(c, 0, 0);
        segment(s, 0, 0);
    }

    /**
     * An ICMP destination-unreachable about this flow: from the pod side quoting the client's
     * segment as the pod received it (after DNAT), or from the client quoting the reply as the
     * client received it (from the VIP).
     */
    void icmpError(Side reporter, int code) {
        Packet quoted = reporter.client
                ? Packet.tcp(
                        vip,
                        clientIp,
                        new TcpSegment(
                                vipPort, clientPort, s.next, c.next, TcpFlags.ACK, s.window, 0, TcpOptions.NONE, 0))
                : Packet.tcp(
                        clientIp,
                        podIp,
                        new TcpSegment(
                                clientPort, podPort, c.next, s.next, TcpFlags.ACK, c.window, 0, TcpOptions.NONE, 0));
        int restOfHeader = code == 4 ? 1400 : 0;
        packets.add(new Packet(
                reporter.client ? clientIp : podIp,
                reporter.client ? vip : clientIp,
                0,
                ++ipId & 0xffff,
                Packet.DEFAULT_TTL,
                IcmpMessage.error(IcmpMessage.DEST_UNREACH, code, restOfHeader, quoted)));
    }
}
