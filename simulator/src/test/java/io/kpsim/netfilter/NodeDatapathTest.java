package io.kpsim.netfilter;

import static io.kpsim.netfilter.NodeFixture.C;
import static io.kpsim.netfilter.NodeFixture.CPORT;
import static io.kpsim.netfilter.NodeFixture.P;
import static io.kpsim.netfilter.NodeFixture.VIP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.TcpState;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.TcpFlags;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The blog story at the client's node: the Service connection is DNATed, its replies are
 * reverse-NATed, an out-of-window reply is INVALID and escapes reverse NAT with the pod IP as
 * source, the client's RST to the pod IP is INVALID ("invalid new") and forwarded; with
 * KUBE-FORWARD's {@code --ctstate INVALID -j DROP} the INVALID packet is dropped instead.
 */
class NodeDatapathTest {

    @ParameterizedTest
    @EnumSource(
            value = KernelProfile.class,
            names = {"V4_19", "V6_18"})
    void serviceConnectionIsDnatedAndRepliesAreReverseNated(KernelProfile kernel) {
        NodeFixture f = new NodeFixture(kernel, true, 7);
        PathResult[] hs = f.handshake();
        PathResult syn = hs[0];
        assertTrue(syn.accepted());
        assertEquals(CtState.NEW, syn.ct().state());
        assertEquals(CtDir.ORIGINAL, syn.ct().dir());
        assertTrue(syn.dnat());
        assertFalse(syn.snat(), "a pod source inside the cluster CIDR is not masqueraded");
        assertEquals(P, syn.out().dstIp());
        assertEquals(8080, syn.out().dstPort());
        assertEquals(C, syn.out().srcIp());
        assertEquals("eth0", syn.outInterface());
        String sep = KubeChainNames.endpointChain("default/web:http", io.kpsim.packet.Protocol.TCP, "10.244.2.7:8080");
        String svc = KubeChainNames.serviceChain("default/web:http", io.kpsim.packet.Protocol.TCP);
        assertTrue(
                syn.narrative()
                        .contains("PREROUTING nat KUBE-SERVICES -> " + svc + " -> " + sep
                                + ": DNAT to 10.244.2.7:8080\n"),
                syn.narrative());

        PathResult synAck = hs[1];
        assertEquals(CtState.ESTABLISHED, synAck.ct().state());
        assertEquals(CtDir.REPLY, synAck.ct().dir());
        assertTrue(synAck.reverseNat());
        assertEquals(VIP, synAck.out().srcIp());
        assertEquals(80, synAck.out().srcPort());
        assertEquals("cni0", synAck.outInterface());
        assertEquals("filter KUBE-FORWARD #3", synAck.decidedBy().toString().substring(0, 22));

        PathResult ack = hs[2];
        assertEquals(CtState.ESTABLISHED, ack.ct().state());
        assertEquals(P, ack.out().dstIp());
        assertEquals(TcpState.ESTABLISHED, f.node.conntrack().tcpState(ack.ct().entry()));
        assertEquals(1, f.node.conntrack().count());
    }

    @ParameterizedTest
    @EnumSource(
            value = KernelProfile.class,
            names = {"V4_19", "V6_18"})
    void outOfWindowReplyEscapesReverseNatAndTheClientsRstIsForwarded(KernelProfile kernel) {
        NodeFixture f = new NodeFixture(kernel, false, 7);
        f.handshake();
        // far beyond td_maxend: INVALID on 4.19 and on 6.x (more than the receiver's max window over)
        PathResult boom = f.fromServer(TcpFlags.PSH | TcpFlags.ACK, f.sSeq + 10_000_000, f.cSeq, 1000);
        assertEquals(CtState.INVALID, boom.ct().state());
        assertNull(boom.ct().dir());
        assertTrue(boom.ct().reason().startsWith("SEQ is over"), boom.ct().reason());
        assertTrue(boom.accepted(), "without the drop rule the INVALID packet is forwarded");
        assertFalse(boom.reverseNat());
        assertEquals("INVALID: no conntrack, NAT skipped", boom.natSkipped());
        assertEquals(P, boom.out().srcIp(), "the source stays the pod IP");
        assertEquals(8080, boom.out().srcPort());
        assertEquals("cni0", boom.outInterface());

        // the client has no socket for P:8080 and answers with a RST to the pod IP
        PathResult rst = f.fromClient(P, 8080, TcpFlags.RST, f.cSeq, 0, 0);
        assertEquals(CtState.INVALID, rst.ct().state());
        assertEquals(
                kernel == KernelProfile.V4_19 ? "invalid new (not logged by this kernel)" : "invalid new",
                rst.ct().reason());
        assertTrue(rst.accepted());
        assertEquals(P, rst.out().dstIp(), "not NATed: straight to the server pod");
        assertEquals(C, rst.out().srcIp());
        assertEquals("eth0", rst.outInterface());
        assertEquals(1, f.node.conntrack().count(), "the invalid RST created no entry");
        assertEquals(
                TcpState.ESTABLISHED,
                f.node.conntrack()
                        .tcpState(f.node.conntrack()
                                .find(
                                        new io.kpsim.conntrack.Tuple(io.kpsim.packet.Protocol.TCP, C, CPORT, VIP, 80),
                                        f.now)));
    }

    @ParameterizedTest
    @EnumSource(
            value = KernelProfile.class,
            names = {"V4_19", "V6_18"})
    void kubeForwardDropRuleDropsTheInvalidReply(KernelProfile kernel) {
        NodeFixture f = new NodeFixture(kernel, true, 7);
        f.handshake();
        PathResult boom = f.fromServer(TcpFlags.PSH | TcpFlags.ACK, f.sSeq + 10_000_000, f.cSeq, 1000);
        assertEquals(CtState.INVALID, boom.ct().state());
        assertFalse(boom.accepted());
        assertEquals(
                "filter KUBE-FORWARD #1: -m conntrack --ctstate INVALID -j DROP",
                boom.decidedBy().toString());
        assertEquals("dropped by filter KUBE-FORWARD #1: -m conntrack --ctstate INVALID -j DROP", boom.dropReason());
        assertNull(boom.outInterface());
        // the connection survives: the next in-window reply is reverse-NATed
        PathResult next = f.fromServer(TcpFlags.PSH | TcpFlags.ACK, f.sSeq, f.cSeq, 100);
        assertTrue(next.accepted());
        assertEquals(VIP, next.out().srcIp());
        assertEquals(
                1,
                f.node.save()
                        .lines()
                        .filter(l -> l.startsWith("[1:")
                                && l.contains("-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP"))
                        .count());
    }

    @ParameterizedTest
    @EnumSource(
            value = KernelProfile.class,
            names = {"V4_19", "V6_18"})
    void delayedRetransmissionIsInvalidOn419ButIgnoredAndReverseNatedOn618(KernelProfile kernel) {
        NodeFixture f = new NodeFixture(kernel, false, 7);
        f.handshake();
        f.fromServer(TcpFlags.PSH | TcpFlags.ACK, f.sSeq, f.cSeq, 60000);
        f.fromClient(VIP, 80, TcpFlags.ACK, f.cSeq, f.sSeq + 60000, 0);
        PathResult old = f.fromServer(TcpFlags.PSH | TcpFlags.ACK, f.sSeq + 60000 - 100_000, f.cSeq, 1000);
        if (kernel == KernelProfile.V4_19) {
            assertEquals(CtState.INVALID, old.ct().state());
            assertEquals(P, old.out().srcIp());
        } else {
            assertEquals(CtState.ESTABLISHED, old.ct().state());
            assertTrue(old.ct().ignored());
            assertTrue(old.reverseNat());
            assertEquals(VIP, old.out().srcIp());
        }
    }

    @org.junit.jupiter.api.Test
    void mangleForwardCanColourPacketsByCtstateAndDirection() {
        NodeFixture f = new NodeFixture(KernelProfile.V6_18, false, 7);
        Ruleset coloured = IptablesRestore.restore(f.node.rules(), """
                *mangle
                :FORWARD ACCEPT [0:0]
                -A FORWARD -m conntrack --ctstate NEW -j DSCP --set-dscp 0x01
                -A FORWARD -m conntrack --ctstate ESTABLISHED --ctdir ORIGINAL -j DSCP --set-dscp 0x02
                -A FORWARD -m conntrack --ctstate ESTABLISHED --ctdir REPLY -j DSCP --set-dscp 0x03
                -A FORWARD -m conntrack --ctstate INVALID -j DSCP --set-dscp 0x04
                COMMIT
                """, true);
        f.node.rules(coloured);
        PathResult[] hs = f.handshake();
        assertEquals(1, hs[0].out().dscp());
        assertEquals(3, hs[1].out().dscp());
        assertEquals(2, hs[2].out().dscp());
        PathResult boom = f.fromServer(TcpFlags.PSH | TcpFlags.ACK, f.sSeq + 10_000_000, f.cSeq, 1000);
        assertEquals(4, boom.out().dscp());
        assertEquals(0, boom.in().dscp());
    }

    @org.junit.jupiter.api.Test
    void anInvalidClientPacketKeepsTheVipAndNeverReachesTheNatTable() {
        NodeFixture f = new NodeFixture(KernelProfile.V6_18, false, 7);
        f.handshake();
        RuleCounters before = f.node.counters();
        long servicesHits = before.packets(Table.NAT, "PREROUTING", 0);
        // ACK for data the server never sent: "ACK is over upper bound"
        PathResult r = f.fromClient(VIP, 80, TcpFlags.ACK, f.cSeq, f.sSeq + 10_000_000, 0);
        assertEquals(CtState.INVALID, r.ct().state());
        assertTrue(r.ct().reason().startsWith("ACK is over"), r.ct().reason());
        assertFalse(r.dnat());
        assertEquals(VIP, r.out().dstIp(), "no DNAT without a conntrack");
        assertEquals(80, r.out().dstPort());
        assertEquals(servicesHits, f.node.counters().packets(Table.NAT, "PREROUTING", 0));
        assertTrue(r.narrative().lines().noneMatch(l -> l.contains(" nat ")), r.narrative());
    }
}
