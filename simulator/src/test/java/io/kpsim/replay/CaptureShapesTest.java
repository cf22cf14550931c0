package io.kpsim.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay of the capture shapes real nodes produce, each a small file built here: {@code tcpdump -i
 * any} in Linux cooked v1 and v2 (every forwarded packet twice, as received and as sent), pcapng
 * with interface blocks and the Enhanced Packet Block's direction flag, one-interface Ethernet with
 * the node's MAC given ({@code --node-mac}) or worked out from the service address, VLAN tags, and
 * GSO/GRO super-packets larger than the MTU (one skb to conntrack, its copies segmented or not).
 * In every shape each packet is replayed once, where it entered the node, and the node's copies
 * agree with the model: the blog's out-of-window reply is the one INVALID packet.
 */
class CaptureShapesTest {

    private static final int CLIENT = CaptureFixture.CLIENT;
    private static final int VIP = CaptureFixture.VIP;
    private static final int POD = CaptureFixture.POD;
    private static final int CPORT = CaptureFixture.CLIENT_PORT;
    private static final long CLIENT_MAC = 0x0a580af40102L;
    private static final long NODE_MAC = 0x0a580af40101L;
    private static final long SERVER_MAC = 0x0a580af40203L;
    private static final int C_ISN = CaptureFixture.CLIENT_ISN;
    private static final int S_ISN = CaptureFixture.SERVER_ISN;

    @TempDir
    Path dir;

    /** A packet the node received and the copy it sent on (after NAT, one hop less of TTL). */
    record Hop(Packet received, Packet copy, boolean fromClient) {}

    private static int ipId = 100;

    private static Packet packet(
            int src, int dst, int sport, int dport, int flags, int seq, int ack, int len, int ttl) {
        TcpOptions o = (flags & TcpFlags.SYN) != 0 ? TcpOptions.syn(1460, 7, true) : TcpOptions.NONE;
        return new Packet(src, dst, 0, ipId, ttl, new TcpSegment(sport, dport, seq, ack, flags, 502, 0, o, len));
    }

    private static Hop client(int flags, int seq, int ack, int len) {
        ipId++;
        return new Hop(
                packet(CLIENT, VIP, CPORT, 80, flags, seq, ack, len, 64),
                packet(CLIENT, POD, CPORT, 8080, flags, seq, ack, len, 63),
                true);
    }

    private static Hop server(int flags, int seq, int ack, int len, boolean natted) {
        ipId++;
        return new Hop(
                packet(POD, CLIENT, 8080, CPORT, flags, seq, ack, len, 64),
                natted
                        ? packet(VIP, CLIENT, 80, CPORT, flags, seq, ack, len, 63)
                        : packet(POD, CLIENT, 8080, CPORT, flags, seq, ack, len, 63),
                false);
    }

    /** The blog's conversation, with a server data segment of {@code dataLength} bytes (a super-packet when large). */
    private static List<Hop> blog(int dataLength) {
        int ack = TcpFlags.ACK;
        int psh = TcpFlags.PSH | TcpFlags.ACK;
        List<Hop> hops = new ArrayList<>();
        hops.add(client(TcpFlags.SYN, C_ISN, 0, 0));
        hops.add(server(TcpFlags.SYN | ack, S_ISN, C_ISN + 1, 0, true));
        hops.add(client(ack, C_ISN + 1, S_ISN + 1, 0));
        hops.add(client(psh, C_ISN + 1, S_ISN + 1, 100));
        hops.add(server(ack, S_ISN + 1, C_ISN + 101, dataLength, true));
        hops.add(client(ack, C_ISN + 101, S_ISN + 1 + dataLength, 0));
        // Far beyond td_maxend: INVALID, so the real node forwards it without the reverse NAT.
        hops.add(server(psh, S_ISN + 1 + dataLength + 300_000, C_ISN + 101, 7, false));
        // The client's RST to the pod IP, forwarded pod to pod.
        ipId++;
        Packet rst = packet(CLIENT, POD, CPORT, 8080, TcpFlags.RST, C_ISN + 101, 0, 0, 64);
        hops.add(new Hop(rst, packet(CLIENT, POD, CPORT, 8080, TcpFlags.RST, C_ISN + 101, 0, 0, 63), true));
        return hops;
    }

    private record Replayed(CaptureCensus census, List<ReplayStep> steps) {
        List<ReplayStep> replayed() {
            return steps.stream().filter(s -> s.packet() != null).toList();
        }
    }

    private static Replayed replay(Path file, ReplayOptions options) {
        KernelProfile kernel = KernelProfile.V4_19;
        NodeConfig config = new NodeConfig(
                List.of(ServiceMapping.parse(CaptureFixture.SERVICE)), kernel, Sysctls.defaults(kernel), false, 7);
        List<ReplayStep> steps = new ArrayList<>();
        CaptureCensus census =
                new Replayer(config, options).replay(file, file.getFileName().toString(), steps::add);
        return new Replayed(census, steps);
    }

    /** Each received packet once, in order; the out-of-window reply INVALID; every copy agreeing. */
    private static void assertBlogReplayedOnce(Replayed r, int received) {
        List<ReplayStep> replayed = r.replayed();
        assertEquals(received, replayed.size(), r.census().classification());
        assertEquals(received, r.census().received(), r.census().classification());
        assertEquals(CtState.NEW, replayed.get(0).record().ctstate());
        assertEquals("10.244.2.3:8080", replayed.get(0).record().outDst(), "the SYN is DNATed");
        long invalid = replayed.stream()
                .filter(s -> s.record().ctstate() == CtState.INVALID)
                .count();
        // The out-of-window reply, and the RST to the pod IP ("invalid new" on 4.19).
        assertEquals(2, invalid, r.census().classification());
        ReplayStep outOfWindow = replayed.get(replayed.size() - 2);
        assertEquals(CtState.INVALID, outOfWindow.record().ctstate());
        assertEquals("10.244.2.3:8080", outOfWindow.record().outSrc(), "no reverse NAT for the INVALID reply");
        assertEquals(0, r.census().disagreements(), String.join("\n", r.census().warnings()));
    }

    @Test
    void linuxCookedV1ReplaysWhatTheNodeReceivedAndPairsWhatItSent() throws IOException {
        ShapeFiles f = ShapeFiles.pcap(ShapeFiles.LINKTYPE_LINUX_SLL);
        for (Hop h : blog(1448)) {
            f.record(ShapeFiles.sll(ShapeFiles.PACKET_HOST, h.received()));
            f.record(ShapeFiles.sll(ShapeFiles.PACKET_OUTGOING, h.copy()));
        }
        Replayed r = replay(f.write(dir.resolve("any-v1.pcap")), ReplayOptions.plain(true));
        assertBlogReplayedOnce(r, 8);
        assertEquals(8, r.census().sent());
        assertEquals(8, r.census().copies());
        assertEquals(8, r.census().agreements());
        assertTrue(
                r.census().classification().contains("8 received and replayed, 8 sent by the node"),
                r.census().classification());
    }

    @Test
    void linuxCookedV2ReplaysWhatTheNodeReceivedAndPairsWhatItSent() throws IOException {
        ShapeFiles f = ShapeFiles.pcap(ShapeFiles.LINKTYPE_LINUX_SLL2);
        for (Hop h : blog(1448)) {
            // Received on the client's veth (ifindex 5) or the node's uplink (2); sent out of the other.
            f.record(ShapeFiles.sll2(ShapeFiles.PACKET_HOST, h.fromClient() ? 5 : 2, h.received()));
            f.record(ShapeFiles.sll2(ShapeFiles.PACKET_OUTGOING, h.fromClient() ? 2 : 5, h.copy()));
        }
        Replayed r = replay(f.write(dir.resolve("any-v2.pcap")), ReplayOptions.plain(true));
        assertBlogReplayedOnce(r, 8);
        assertEquals(8, r.census().sent());
        assertEquals(8, r.census().agreements());
    }

    @Test
    void pcapngDirectionFlagsDecideOnEveryInterface() throws IOException {
        ShapeFiles f = ShapeFiles.pcapng("cni0", "eth0");
        for (Hop h : blog(1448)) {
            int in = h.fromClient() ? 0 : 1;
            int out = 1 - in;
            // Every frame with the same two MACs, which say nothing of the direction: only the flags can tell.
            f.enhancedPacket(in, 1, ShapeFiles.ethernet(SERVER_MAC, CLIENT_MAC, h.received()));
            f.enhancedPacket(out, 2, ShapeFiles.ethernet(SERVER_MAC, CLIENT_MAC, h.copy()));
        }
        Replayed r = replay(f.write(dir.resolve("node.pcapng")), ReplayOptions.plain(true));
        assertBlogReplayedOnce(r, 8);
        assertEquals(8, r.census().sent());
        assertEquals(8, r.census().agreements());
    }

    /** One interface (the node's bridge port towards both pods): received frames go to the node's MAC. */
    private ShapeFiles oneInterface(int... vlans) {
        ShapeFiles f = ShapeFiles.pcap(ShapeFiles.LINKTYPE_ETHERNET);
        for (Hop h : blog(1448)) {
            long peer = h.fromClient() ? CLIENT_MAC : SERVER_MAC;
            long next = h.fromClient() ? SERVER_MAC : CLIENT_MAC;
            f.record(ShapeFiles.ethernet(NODE_MAC, peer, h.received(), vlans));
            f.record(ShapeFiles.ethernet(next, NODE_MAC, h.copy(), vlans));
        }
        return f;
    }

    @Test
    void oneInterfaceEthernetWithTheNodesMacGiven() throws IOException {
        Path file = oneInterface().write(dir.resolve("eth0.pcap"));
        Replayed r = replay(file, new ReplayOptions(true, null, NODE_MAC, null));
        assertBlogReplayedOnce(r, 8);
        assertEquals(8, r.census().sent());
        assertEquals(8, r.census().agreements());
    }

    @Test
    void oneInterfaceEthernetWorksOutTheNodesMacFromTheServiceAddress() throws IOException {
        Path file = oneInterface().write(dir.resolve("eth0.pcap"));
        Replayed r = replay(file, ReplayOptions.plain(true));
        assertBlogReplayedOnce(r, 8);
        assertEquals(8, r.census().sent());
        String line = r.census().classification();
        assertTrue(line.contains("the node is 0a:58:0a:f4:01:01 (it receives #0 for 10.96.0.10)"), line);
    }

    @Test
    void vlanTagsAreLookedThroughSingleAndDouble() throws IOException {
        Replayed single = replay(
                oneInterface(100).write(dir.resolve("vlan.pcap")), new ReplayOptions(true, null, NODE_MAC, null));
        assertBlogReplayedOnce(single, 8);
        assertEquals(8, single.census().agreements());
        Replayed qinq = replay(oneInterface(200, 100).write(dir.resolve("qinq.pcap")), ReplayOptions.plain(true));
        assertBlogReplayedOnce(qinq, 8);
        assertEquals(8, qinq.census().agreements());
    }

    @Test
    void aGroSuperPacketIsOneSkbAndItsCopyMayBeOneOrSegmented() throws IOException {
        int data = 3 * 1448; // 4344 bytes of TCP payload in one IPv4 datagram: larger than a 1500-byte MTU
        // The copy as one GSO super-packet.
        ShapeFiles whole = ShapeFiles.pcap(ShapeFiles.LINKTYPE_LINUX_SLL);
        for (Hop h : blog(data)) {
            whole.record(ShapeFiles.sll(ShapeFiles.PACKET_HOST, h.received()));
            whole.record(ShapeFiles.sll(ShapeFiles.PACKET_OUTGOING, h.copy()));
        }
        Replayed r = replay(whole.write(dir.resolve("gso.pcap")), ReplayOptions.plain(true));
        assertBlogReplayedOnce(r, 8);
        ReplayStep big = r.replayed().get(4);
        assertEquals(data, big.packet().tcp().payloadLength());
        assertEquals(CtState.ESTABLISHED, big.record().ctstate());
        assertTrue(
                r.census().notes().contains("1 GSO/GRO super-packets (one skb each)"),
                r.census().notes());

        // The copy segmented on the way out: three 1448-byte segments, IP IDs and sequence numbers continuing.
        ShapeFiles split = ShapeFiles.pcap(ShapeFiles.LINKTYPE_LINUX_SLL);
        List<Hop> hops = blog(data);
        for (int i = 0; i < hops.size(); i++) {
            Hop h = hops.get(i);
            split.record(ShapeFiles.sll(ShapeFiles.PACKET_HOST, h.received()));
            if (i != 4) {
                split.record(ShapeFiles.sll(ShapeFiles.PACKET_OUTGOING, h.copy()));
                continue;
            }
            Packet c = h.copy();
            TcpSegment t = c.tcp();
            for (int k = 0; k < 3; k++) {
                TcpSegment piece = new TcpSegment(
                        t.srcPort(),
                        t.dstPort(),
                        t.seq() + k * 1448,
                        t.ack(),
                        t.flags(),
                        t.window(),
                        0,
                        t.options(),
                        1448);
                split.record(ShapeFiles.sll(
                        ShapeFiles.PACKET_OUTGOING, new Packet(c.srcIp(), c.dstIp(), 0, c.ipId() + k, c.ttl(), piece)));
            }
        }
        Replayed s = replay(split.write(dir.resolve("gso-split.pcap")), ReplayOptions.plain(true));
        assertBlogReplayedOnce(s, 8);
        assertEquals(10, s.census().sent());
        // Ten records sent, copies of eight received packets: the three segments are one packet's copy.
        assertEquals(8, s.census().copies(), s.census().classification());
        assertNotNull(s.replayed().get(4).record().observed(), "the super-packet's copy was seen");
        assertEquals("10.96.0.10:80", s.replayed().get(4).record().observed().outSrc());
    }

    @Test
    void ipv6MixedInIsSetAsideWithAWarning() throws IOException {
        ShapeFiles f = ShapeFiles.pcap(ShapeFiles.LINKTYPE_ETHERNET);
        f.record(ShapeFiles.ipv6(NODE_MAC, CLIENT_MAC));
        for (Hop h : blog(1448)) {
            f.record(ShapeFiles.ethernet(NODE_MAC, h.fromClient() ? CLIENT_MAC : SERVER_MAC, h.received()));
        }
        f.record(ShapeFiles.ipv6(NODE_MAC, CLIENT_MAC));
        Replayed r = replay(f.write(dir.resolve("mixed.pcap")), ReplayOptions.plain(true));
        assertEquals(8, r.replayed().size());
        assertTrue(
                r.census().warnings().contains("mixed.pcap: 2 IPv6 packets set aside: IPv6 is not modelled"),
                r.census().warnings().toString());
        assertEquals(Ip4.parse("10.96.0.10"), VIP);
    }
}
