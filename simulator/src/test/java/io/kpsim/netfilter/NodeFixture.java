package io.kpsim.netfilter;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.util.List;

/**
 * Test fixture: node A of the blog story. It hosts client pod C (10.244.1.5, behind cni0); the
 * Service default/web (10.96.45.10:80) has its endpoint P (10.244.2.7:8080) on another node,
 * reached through eth0 (192.168.1.10).
 */
final class NodeFixture {

    static final int C = Ip4.parse("10.244.1.5");
    static final int P = Ip4.parse("10.244.2.7");
    static final int VIP = Ip4.parse("10.96.45.10");
    static final int NODE_IP = Ip4.parse("192.168.1.10");
    static final int EXTERNAL = Ip4.parse("192.168.1.50");
    static final int CPORT = 40000;
    static final long SECOND = 1_000_000_000L;

    final NodeDatapath node;
    long now = 1_000 * SECOND;
    int cSeq = 1000;
    int sSeq = 5000;

    NodeFixture(KernelProfile kernel, boolean dropInvalid, long seed) {
        this(kernel, dropInvalid, seed, List.of(new KubeEndpoint(P, 8080)));
    }

    NodeFixture(KernelProfile kernel, boolean dropInvalid, long seed, List<KubeEndpoint> endpoints) {
        this(kernel, Sysctls.defaults(kernel), dropInvalid, seed, endpoints);
    }

    NodeFixture(KernelProfile kernel, Sysctls sysctls, boolean dropInvalid, long seed, List<KubeEndpoint> endpoints) {
        KubeService web = new KubeService("default", "web", "http", Protocol.TCP, VIP, 80, endpoints);
        Ruleset rules =
                KubeProxyRules.ruleset(List.of(web), KubeProxyConfig.of(Cidr.parse("10.244.0.0/16"), dropInvalid));
        Conntrack ct = new Conntrack(kernel, sysctls, seed);
        node = new NodeDatapath(
                ct,
                rules,
                List.of(new NetInterface("eth0", NODE_IP), new NetInterface("cni0", Ip4.parse("10.244.1.1"))),
                List.of(new Route(Cidr.parse("10.244.1.0/24"), "cni0"), new Route(Cidr.parse("0.0.0.0/0"), "eth0")),
                seed);
        node.tracing(true);
    }

    static Packet tcp(int src, int sport, int dst, int dport, int flags, int seq, int ack, int len) {
        TcpOptions opts = (flags & TcpFlags.SYN) != 0 ? TcpOptions.syn(1460, TcpOptions.ABSENT, true) : TcpOptions.NONE;
        return Packet.tcp(src, dst, new TcpSegment(sport, dport, seq, ack, flags, 65535, 0, opts, len));
    }

    /** A packet from the client pod, arriving on cni0. */
    PathResult fromClient(int dst, int dport, int flags, int seq, int ack, int len) {
        now += SECOND / 1000;
        return node.receive(tcp(C, CPORT, dst, dport, flags, seq, ack, len), "cni0", now);
    }

    /** A packet from the server pod, arriving on eth0. */
    PathResult fromServer(int flags, int seq, int ack, int len) {
        now += SECOND / 1000;
        return node.receive(tcp(P, 8080, C, CPORT, flags, seq, ack, len), "eth0", now);
    }

    /** SYN, SYN/ACK, ACK through the Service; returns the three results. */
    PathResult[] handshake() {
        PathResult syn = fromClient(VIP, 80, TcpFlags.SYN, cSeq, 0, 0);
        PathResult synAck = fromServer(TcpFlags.SYN | TcpFlags.ACK, sSeq, cSeq + 1, 0);
        cSeq++;
        sSeq++;
        PathResult ack = fromClient(VIP, 80, TcpFlags.ACK, cSeq, sSeq, 0);
        return new PathResult[] {syn, synAck, ack};
    }

    /** An ICMP error from {@code from} to {@code to} quoting {@code quoted}, arriving on {@code in}. */
    PathResult icmpError(int from, int to, Packet quoted, String in) {
        return icmpError(from, to, quoted, in, true);
    }

    /** The same, saying whether the ICMP checksum is right. */
    PathResult icmpError(int from, int to, Packet quoted, String in, boolean checksumValid) {
        now += SECOND / 1000;
        Packet error = Packet.icmp(from, to, IcmpMessage.error(IcmpMessage.DEST_UNREACH, 3, 0, quoted));
        return node.receive(error, in, checksumValid, now);
    }
}
