package io.kpsim.netfilter;

import static io.kpsim.netfilter.NodeFixture.C;
import static io.kpsim.netfilter.NodeFixture.CPORT;
import static io.kpsim.netfilter.NodeFixture.EXTERNAL;
import static io.kpsim.netfilter.NodeFixture.NODE_IP;
import static io.kpsim.netfilter.NodeFixture.P;
import static io.kpsim.netfilter.NodeFixture.VIP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.Status;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.Tuple;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** NAT core behaviour: ICMP errors, null-binding port remap, MASQUERADE, NOTRACK, drops before confirm. */
class NatTest {

    @Test
    void relatedIcmpErrorFromTheServerHasOuterAndInnerRewritten() {
        NodeFixture f = new NodeFixture(KernelProfile.V6_18, true, 7);
        f.handshake();
        // P's stack answers a segment it received (C:40000 -> P:8080) with an ICMP error to C
        Packet quoted = NodeFixture.tcp(C, CPORT, P, 8080, TcpFlags.ACK, f.cSeq, f.sSeq, 1400);
        PathResult r = f.icmpError(P, C, quoted, "eth0");
        assertEquals(CtState.RELATED, r.ct().state());
        assertEquals(CtDir.REPLY, r.ct().dir());
        assertTrue(r.accepted());
        assertTrue(r.innerNat());
        assertTrue(r.reverseNat());
        assertEquals(VIP, r.out().srcIp(), "outer source looks like the Service");
        assertEquals(C, r.out().dstIp());
        Packet inner = r.out().icmp().quoted();
        assertEquals(C, inner.srcIp());
        assertEquals(CPORT, inner.srcPort());
        assertEquals(VIP, inner.dstIp(), "the quoted header shows the packet the client sent");
        assertEquals(80, inner.dstPort());
    }

    @Test
    void relatedIcmpErrorFromTheClientIsRewrittenTowardsThePod() {
        NodeFixture f = new NodeFixture(KernelProfile.V6_18, true, 7);
        f.handshake();
        // C answers a reply it received (VIP:80 -> C:40000) with an ICMP error to the VIP
        Packet quoted = NodeFixture.tcp(VIP, 80, C, CPORT, TcpFlags.ACK, f.sSeq, f.cSeq, 100);
        PathResult r = f.icmpError(C, VIP, quoted, "cni0");
        assertEquals(CtState.RELATED, r.ct().state());
        assertEquals(CtDir.ORIGINAL, r.ct().dir());
        assertTrue(r.dnat());
        assertEquals(P, r.out().dstIp());
        assertEquals("eth0", r.outInterface());
        Packet inner = r.out().icmp().quoted();
        assertEquals(P, inner.srcIp());
        assertEquals(8080, inner.srcPort());
        assertEquals(C, inner.dstIp());
    }

    /**
     * N2: an ICMP error about a DNATed connection whose ICMP checksum is wrong. With
     * {@code nf_conntrack_checksum=0} conntrack calls it RELATED and {@code nf_nat_icmp_reply_translation()}
     * drops it at the first NAT hook (every release); with the default 1 conntrack already calls it
     * INVALID ("bad hw icmp checksum") and NAT leaves it alone: forwarded untranslated.
     */
    @Test
    void icmpErrorWithABadChecksumIsDroppedByNat() {
        for (KernelProfile k : KernelProfile.all()) {
            for (String checksum : new String[] {"0", "1"}) {
                Sysctls s = Sysctls.defaults(k).with("net.netfilter.nf_conntrack_checksum", checksum);
                NodeFixture f = new NodeFixture(k, s, false, 7, List.of(new KubeEndpoint(P, 8080)));
                f.handshake();
                Packet quoted = NodeFixture.tcp(C, CPORT, P, 8080, TcpFlags.ACK, f.cSeq, f.sSeq, 1400);
                PathResult good = f.icmpError(P, C, quoted, "eth0", true);
                assertTrue(good.accepted() && good.innerNat(), k.toString());
                PathResult bad = f.icmpError(P, C, quoted, "eth0", false);
                if (checksum.equals("0")) {
                    assertEquals(CtState.RELATED, bad.ct().state(), k.toString());
                    assertFalse(bad.accepted(), k + ": NAT drops it");
                    assertTrue(bad.narrative().contains("ICMP error with a bad checksum: dropped"), bad.narrative());
                } else {
                    assertEquals(CtState.INVALID, bad.ct().state(), k.toString());
                    assertTrue(bad.accepted(), k + ": no conntrack, no NAT, no INVALID drop rule");
                    assertFalse(bad.innerNat());
                    assertEquals(P, bad.out().srcIp(), "the pod's address escapes");
                }
            }
        }
    }

    @Test
    void clashingReplyTupleRemapsTheClientsSourcePort() {
        NodeFixture f = new NodeFixture(KernelProfile.V6_18, true, 11);
        // a direct pod-to-pod connection C:40000 -> P:8080 already owns reply tuple P:8080 -> C:40000
        PathResult direct = f.fromClient(P, 8080, TcpFlags.SYN, 777, 0, 0);
        assertEquals(CtState.NEW, direct.ct().state());
        assertFalse(direct.snat());
        PathResult syn = f.fromClient(VIP, 80, TcpFlags.SYN, 1000, 0, 0);
        assertTrue(syn.accepted());
        assertTrue(syn.dnat());
        assertTrue(syn.snat(), "the null binding at POSTROUTING had to pick another source port");
        int port = syn.out().srcPort();
        assertNotEquals(CPORT, port);
        assertTrue(port >= 1024 && port <= 65535, "ports >= 1024 stay in 1024..65535: " + port);
        assertEquals(C, syn.out().srcIp());
        Conntrack ct = f.node.conntrack();
        int entry = syn.ct().entry();
        assertEquals(new Tuple(Protocol.TCP, P, 8080, C, port), ct.tuple(entry, CtDir.REPLY));
        assertTrue((ct.status(entry) & Status.SRC_NAT) != 0);
        assertEquals(2, ct.count());
        // the server's SYN/ACK to the new port comes back to the client's real port from the VIP
        f.now += NodeFixture.SECOND / 1000;
        PathResult synAck = f.node.receive(
                NodeFixture.tcp(P, 8080, C, port, TcpFlags.SYN | TcpFlags.ACK, 5000, 1001, 0), "eth0", f.now);
        assertEquals(CtState.ESTABLISHED, synAck.ct().state());
        assertEquals(entry, synAck.ct().entry());
        assertEquals(VIP, synAck.out().srcIp());
        assertEquals(80, synAck.out().srcPort());
        assertEquals(C, synAck.out().dstIp());
        assertEquals(CPORT, synAck.out().dstPort());
        // the same seed remaps to the same port
        NodeFixture g = new NodeFixture(KernelProfile.V6_18, true, 11);
        g.fromClient(P, 8080, TcpFlags.SYN, 777, 0, 0);
        assertEquals(port, g.fromClient(VIP, 80, TcpFlags.SYN, 1000, 0, 0).out().srcPort());
    }

    @Test
    void externalClientsAreMasqueradedToTheNodeAddressWithARandomPort() {
        NodeFixture f = new NodeFixture(KernelProfile.V6_18, true, 3);
        f.now += NodeFixture.SECOND;
        // an off-cluster source reaches the VIP through this node and leaves by eth0
        PathResult syn =
                f.node.receive(NodeFixture.tcp(EXTERNAL, 50000, VIP, 80, TcpFlags.SYN, 1, 0, 0), "eth0", f.now);
        assertTrue(syn.accepted());
        assertTrue(syn.dnat());
        assertTrue(syn.snat());
        assertEquals(NODE_IP, syn.out().srcIp());
        assertNotEquals(50000, syn.out().srcPort(), "--random-fully draws the port even when the original is free");
        assertEquals(P, syn.out().dstIp());
        assertTrue(syn.narrative().contains("POSTROUTING nat KUBE-POSTROUTING: MASQUERADE"), syn.narrative());
        PathResult synAck = f.node.receive(
                NodeFixture.tcp(P, 8080, NODE_IP, syn.out().srcPort(), TcpFlags.SYN | TcpFlags.ACK, 9, 2, 0),
                "eth0",
                f.now + 1000);
        assertTrue(synAck.reverseNat());
        assertEquals(VIP, synAck.out().srcIp());
        assertEquals(EXTERNAL, synAck.out().dstIp());
        assertEquals(50000, synAck.out().dstPort());
    }

    @Test
    void hairpinTrafficIsMasqueradedToTheBridgeAddress() {
        NodeFixture f = new NodeFixture(KernelProfile.V6_18, true, 21, List.of(new KubeEndpoint(C, 8080)));
        PathResult syn = f.fromClient(VIP, 80, TcpFlags.SYN, 1000, 0, 0);
        assertTrue(syn.accepted());
        assertEquals("cni0", syn.outInterface());
        assertEquals(C, syn.out().dstIp());
        assertEquals(8080, syn.out().dstPort());
        assertEquals(
                Ip4.parse("10.244.1.1"),
                syn.out().srcIp(),
                "KUBE-SEP marked the hairpin, MASQUERADE used cni0's address");
        assertTrue(syn.narrative().contains("KUBE-SEP-"), syn.narrative());
        PathResult synAck = f.node.receive(
                NodeFixture.tcp(
                        C,
                        8080,
                        Ip4.parse("10.244.1.1"),
                        syn.out().srcPort(),
                        TcpFlags.SYN | TcpFlags.ACK,
                        5000,
                        1001,
                        0),
                "cni0",
                f.now + 1000);
        assertEquals(VIP, synAck.out().srcIp());
        assertEquals(80, synAck.out().srcPort());
        assertEquals(C, synAck.out().dstIp());
        assertEquals(CPORT, synAck.out().dstPort());
    }

    @Test
    void notrackedPacketsAreNeverNated() {
        Ruleset rules = KubeProxyRules.ruleset(
                List.of(new KubeService(
                        "default", "web", "http", Protocol.TCP, VIP, 80, List.of(new KubeEndpoint(P, 8080)))),
                KubeProxyConfig.of(Cidr.parse("10.244.0.0/16"), true));
        rules = IptablesRestore.restore(
                rules,
                "*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -s 10.244.1.5/32 -j CT --notrack\nCOMMIT\n",
                false);
        NodeDatapath node = new NodeDatapath(
                new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 1),
                rules,
                List.of(new NetInterface("eth0", NODE_IP)),
                List.of(new Route(Cidr.parse("0.0.0.0/0"), "eth0")),
                1);
        PathResult r = node.receive(NodeFixture.tcp(C, CPORT, VIP, 80, TcpFlags.SYN, 1, 0, 0), "cni0", 1);
        assertEquals(CtState.UNTRACKED, r.ct().state());
        assertEquals("UNTRACKED: no conntrack, NAT skipped", r.natSkipped());
        assertFalse(r.dnat());
        assertEquals(VIP, r.out().dstIp());
        assertEquals(0, node.conntrack().count());
    }

    @Test
    void aPacketDroppedBeforeConfirmationTakesItsNewEntryWithIt() {
        Ruleset rules = IptablesRestore.parse(
                "*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -p tcp --dport 8080 -j DROP\nCOMMIT\n");
        NodeDatapath node = new NodeDatapath(
                new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 1),
                rules,
                List.of(new NetInterface("eth0", NODE_IP)),
                List.of(new Route(Cidr.parse("0.0.0.0/0"), "eth0")),
                1);
        PathResult first = node.receive(NodeFixture.tcp(C, CPORT, P, 8080, TcpFlags.SYN, 1, 0, 0), "cni0", 1);
        assertFalse(first.accepted());
        assertEquals(CtState.NEW, first.ct().state());
        assertEquals(0, node.conntrack().count());
        PathResult again = node.receive(NodeFixture.tcp(C, CPORT, P, 8080, TcpFlags.SYN, 1, 0, 0), "cni0", 2);
        assertEquals(CtState.NEW, again.ct().state(), "the retransmitted SYN finds no entry: still NEW");
        assertEquals(0, node.conntrack().count());
        assertTrue(node.save().contains("[2:96] -A FORWARD -p tcp -m tcp --dport 8080 -j DROP"), node.save());
    }

    @Test
    void aFullTableDropsNewConnectionsButNotEstablishedOnes() {
        Ruleset rules = KubeProxyRules.ruleset(
                List.of(new KubeService(
                        "default", "web", "http", Protocol.TCP, VIP, 80, List.of(new KubeEndpoint(P, 8080)))),
                KubeProxyConfig.of(Cidr.parse("10.244.0.0/16"), true));
        Sysctls s = Sysctls.defaults(KernelProfile.V6_18).with("net.netfilter.nf_conntrack_max", "1");
        NodeDatapath node = new NodeDatapath(
                new Conntrack(KernelProfile.V6_18, s, 1),
                rules,
                List.of(new NetInterface("eth0", NODE_IP)),
                List.of(new Route(Cidr.parse("0.0.0.0/0"), "eth0")),
                1);
        assertTrue(node.receive(NodeFixture.tcp(C, CPORT, VIP, 80, TcpFlags.SYN, 1000, 0, 0), "cni0", 1)
                .accepted());
        assertTrue(
                node.receive(NodeFixture.tcp(P, 8080, C, CPORT, TcpFlags.SYN | TcpFlags.ACK, 5000, 1001, 0), "eth0", 2)
                        .accepted());
        assertTrue(node.receive(NodeFixture.tcp(C, CPORT, VIP, 80, TcpFlags.ACK, 1001, 5001, 0), "cni0", 3)
                .accepted());
        PathResult full = node.receive(NodeFixture.tcp(C, CPORT + 1, VIP, 80, TcpFlags.SYN, 1, 0, 0), "cni0", 4);
        assertFalse(full.accepted());
        assertEquals("conntrack: table full, dropping packet", full.dropReason());
        assertEquals(null, full.decidedBy());
        PathResult data = node.receive(NodeFixture.tcp(P, 8080, C, CPORT, TcpFlags.ACK, 5001, 1001, 10), "eth0", 5);
        assertTrue(data.accepted());
        assertEquals(VIP, data.out().srcIp());
    }

    @Test
    void statisticRulesSpreadConnectionsOverEndpoints() {
        List<KubeEndpoint> eps = List.of(
                new KubeEndpoint(Ip4.parse("10.244.2.7"), 8080),
                new KubeEndpoint(Ip4.parse("10.244.3.8"), 8080),
                new KubeEndpoint(Ip4.parse("10.244.4.9"), 8080));
        NodeFixture f = new NodeFixture(KernelProfile.V6_18, true, 99, eps);
        f.node.tracing(false);
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < 3000; i++) {
            PathResult r =
                    f.node.receive(NodeFixture.tcp(C, 20000 + i, VIP, 80, TcpFlags.SYN, 1, 0, 0), "cni0", 1000 + i);
            counts.merge(Ip4.format(r.out().dstIp()), 1, Integer::sum);
            assertTrue(r.trace().isEmpty());
        }
        assertEquals(3, counts.size());
        counts.values().forEach(c -> assertTrue(Math.abs(c - 1000) < 120, counts::toString));
        assertEquals(3000, f.node.conntrack().count());
    }

    @Test
    void localDeliveryAndLocalOutput() {
        NodeFixture f = new NodeFixture(KernelProfile.V6_18, true, 5);
        PathResult in = f.node.receive(NodeFixture.tcp(C, CPORT, NODE_IP, 10250, TcpFlags.SYN, 1, 0, 0), "cni0", 10);
        assertEquals(PathResult.Path.LOCAL_IN, in.path());
        assertTrue(in.accepted());
        assertEquals(1, f.node.conntrack().count(), "confirmed at INPUT");
        // a host process talking to the Service is DNATed at OUTPUT
        PathResult out = f.node.send(NodeFixture.tcp(NODE_IP, 33333, VIP, 80, TcpFlags.SYN, 1, 0, 0), 20);
        assertEquals(PathResult.Path.LOCAL_OUT, out.path());
        assertTrue(out.dnat());
        assertEquals(P, out.out().dstIp());
        assertEquals("eth0", out.outInterface());
        assertEquals(2, f.node.conntrack().count());
    }

    @Test
    void icmpEchoThroughMasqueradeKeepsItsIdUnlessTaken() {
        Ruleset rules = IptablesRestore.parse(
                "*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\n");
        NodeDatapath node = new NodeDatapath(
                new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 1),
                rules,
                List.of(new NetInterface("eth0", NODE_IP)),
                List.of(new Route(Cidr.parse("0.0.0.0/0"), "eth0")),
                1);
        int remote = Ip4.parse("198.51.100.1");
        PathResult ping =
                node.receive(Packet.icmp(C, remote, IcmpMessage.echo(IcmpMessage.ECHO_REQUEST, 77, 1, 56)), "cni0", 1);
        assertTrue(ping.snat());
        assertEquals(NODE_IP, ping.out().srcIp());
        assertEquals(77, ping.out().icmp().identifier());
        PathResult pong = node.receive(
                Packet.icmp(remote, NODE_IP, IcmpMessage.echo(IcmpMessage.ECHO_REPLY, 77, 1, 56)), "eth0", 2);
        assertTrue(pong.reverseNat());
        assertEquals(C, pong.out().dstIp());
        assertEquals(CtState.ESTABLISHED, pong.ct().state());
    }

    @Test
    void aRouteThroughAnUnknownDeviceIsRejected() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> new NodeDatapath(
                        new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 1),
                        Ruleset.empty(),
                        List.of(new NetInterface("eth0", NODE_IP)),
                        List.of(new Route(Cidr.parse("10.244.1.0/24"), "cni0")),
                        1));
        assertEquals("route 10.244.1.0/24 via unknown interface cni0 (interfaces: eth0)", e.getMessage());
    }
}
