package io.kpsim.netfilter.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.netfilter.Hook;
import io.kpsim.netfilter.IptablesRestore;
import io.kpsim.netfilter.NetInterface;
import io.kpsim.netfilter.NodeDatapath;
import io.kpsim.netfilter.PathResult;
import io.kpsim.netfilter.RejectWith;
import io.kpsim.netfilter.Route;
import io.kpsim.netfilter.Ruleset;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * nftables base chains on a node: interleaved by priority with each other and with iptables'
 * tables, nat chains inside the NAT core, kube-proxy's nftables rules end to end, and what a
 * reject sends back through the node's own hooks.
 */
class NftDatapathTest {

    private static final long SECOND = 1_000_000_000L;

    /** A node with eth0 (10.0.0.1, the client side) and eth1 (10.1.0.1, pods 10.244.0.0/16 and the rest). */
    private static NodeDatapath node(Ruleset iptables, String nft) {
        Conntrack ct = new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 3);
        NodeDatapath n = new NodeDatapath(
                ct,
                Ruleset.empty(),
                List.of(
                        new NetInterface("eth0", Ip4.parse("10.0.0.1")),
                        new NetInterface("eth1", Ip4.parse("10.1.0.1"))),
                List.of(new Route(Cidr.parse("10.0.0.0/24"), "eth0"), new Route(Cidr.parse("0.0.0.0/0"), "eth1")),
                11);
        n.rules(iptables, new NftEngine(NftParser.parse("node.nft", nft)).programs());
        n.tracing(true);
        return n;
    }

    private static PathResult fromClient(NodeDatapath n, Packet p) {
        return n.receive(p, "eth0", SECOND);
    }

    @Test
    void anAcceptEndsOnlyItsOwnBaseChain() {
        NodeDatapath n = node(null, """
                table ip a { chain f { type filter hook forward priority -10; accept; } }
                table ip b { chain f { type filter hook forward priority 10; tcp dport 80 drop; } }
                """);
        PathResult r = fromClient(n, Packets.syn("10.0.0.2", 40000, "10.244.1.5", 80));
        assertFalse(r.accepted(), "table b's chain still runs after table a accepted");
        assertEquals("ip b f #1: tcp dport 80 drop", r.decidedBy().toString());
        assertTrue(
                fromClient(n, Packets.syn("10.0.0.2", 40001, "10.244.1.5", 81)).accepted());
    }

    @Test
    void nftChainsAndIptablesTablesInterleaveByPriority() {
        Ruleset iptables = IptablesRestore.parse("""
                *filter
                :FORWARD ACCEPT [0:0]
                -A FORWARD -p tcp --dport 80 -j ACCEPT
                -A FORWARD -p tcp --dport 81 -j DROP
                COMMIT
                """);
        NodeDatapath n = node(iptables, """
                table ip before { chain f { type filter hook forward priority -5; tcp dport 80 drop; } }
                table ip after { chain f { type filter hook forward priority 5; tcp dport 82 drop; } }
                """);
        assertEquals("mangle -150, ip before -5, filter 0, ip after 5", n.schedule(Hook.FORWARD));
        PathResult p80 = fromClient(n, Packets.syn("10.0.0.2", 40000, "10.244.1.5", 80));
        assertFalse(p80.accepted(), "nft at -5 drops before iptables filter (0) could accept");
        PathResult p81 = fromClient(n, Packets.syn("10.0.0.2", 40001, "10.244.1.5", 81));
        assertEquals(
                "filter FORWARD #2: -p tcp -m tcp --dport 81 -j DROP",
                p81.decidedBy().toString());
        PathResult p82 = fromClient(n, Packets.syn("10.0.0.2", 40002, "10.244.1.5", 82));
        assertFalse(p82.accepted(), "iptables' ACCEPT policy does not stop the chain at +5");
    }

    @Test
    void natChainsRunInsideTheNatCoreAfterFilterChainsBelowIt() {
        // kernel: nat chains are nf_nat_register_fn() lookups of the NAT core's hook at -100, so the
        // filter chain at -101 sees the packet before the nat chain at -105 has DNATed it
        NodeDatapath n = node(null, """
                table ip t {
                  chain nat105 { type nat hook prerouting priority -105; ip daddr 10.96.0.10 dnat to 10.244.1.5; }
                  chain filter101 { type filter hook prerouting priority -101; ip daddr 10.244.1.5 drop; }
                  chain filter99 { type filter hook prerouting priority -99; ip daddr 10.244.1.5 meta mark set 0x7; }
                }
                """);
        assertEquals("conntrack, ip t -101, NAT [ip t -105], ip t -99", n.schedule(Hook.PREROUTING));
        PathResult r = fromClient(n, Packets.syn("10.0.0.2", 40000, "10.96.0.10", 80));
        assertTrue(r.accepted());
        assertTrue(r.dnat());
        assertEquals(Ip4.parse("10.244.1.5"), r.out().dstIp());
        assertTrue(r.narrative().contains("PREROUTING ip t filter99: matched"), r.narrative());
    }

    @Test
    void natProgramsStopAtTheFirstBinding() {
        NodeDatapath n = node(IptablesRestore.parse("""
                *nat
                :PREROUTING ACCEPT [0:0]
                -A PREROUTING -d 10.96.0.10/32 -j DNAT --to-destination 10.244.9.9
                COMMIT
                """), """
                table ip first { chain p { type nat hook prerouting priority -110
                  ip daddr 10.96.0.11 dnat to 10.244.1.1; } }
                table ip last { chain p { type nat hook prerouting priority -90
                  ip daddr 10.96.0.10 dnat to 10.244.2.2; } }
                """);
        assertEquals(
                "raw -300, conntrack, mangle -150, NAT [ip first -110, nat -100, ip last -90]",
                n.schedule(Hook.PREROUTING));
        assertEquals(
                Ip4.parse("10.244.9.9"),
                fromClient(n, Packets.syn("10.0.0.2", 1, "10.96.0.10", 80))
                        .out()
                        .dstIp());
        assertEquals(
                Ip4.parse("10.244.1.1"),
                fromClient(n, Packets.syn("10.0.0.2", 2, "10.96.0.11", 80))
                        .out()
                        .dstIp());
    }

    @Test
    void equalPrioritiesRunTheLaterTableFirst() {
        NodeDatapath n = node(null, """
                table ip older { chain f { type filter hook forward priority 0; meta mark set 0x1; } }
                table ip newer { chain f { type filter hook forward priority 0; meta mark 0x1 drop; } }
                """);
        assertEquals("ip newer 0, ip older 0", n.schedule(Hook.FORWARD));
        assertTrue(
                fromClient(n, Packets.syn("10.0.0.2", 1, "10.244.1.5", 80)).accepted(),
                "newer runs first and sees no mark yet");
    }

    @Test
    void kubeProxyNftablesServiceWithEndpoints() {
        NodeDatapath n = node(null, Resources.read("kube-proxy-n34.list"));
        PathResult r = fromClient(n, Packets.syn("192.0.2.7", 40000, "172.30.1.2", 80));
        assertTrue(r.accepted(), r.narrative());
        assertTrue(r.dnat());
        int dst = r.out().dstIp();
        assertTrue(dst == Ip4.parse("10.1.0.21") || dst == Ip4.parse("10.1.0.22"), Ip4.format(dst));
        assertEquals(8080, r.out().dstPort());
        assertTrue(r.snat(), "a client outside the cluster CIDR 10.0.0.0/8 is marked and masqueraded");
        assertEquals(Ip4.parse("10.1.0.1"), r.out().srcIp());
    }

    @Test
    void kubeProxyRejectsAServiceWithoutEndpointsFromTheServiceAddress() {
        NodeDatapath n = node(null, Resources.read("kube-proxy-n34.list"));
        PathResult r = fromClient(n, Packets.syn("10.0.0.2", 40000, "172.30.1.5", 80));
        assertFalse(r.accepted());
        assertTrue(r.rejected());
        assertEquals(RejectWith.icmp(RejectWith.PORT_UNREACHABLE), r.reject().with());
        Packet icmp = r.reject().sent();
        assertEquals("eth0", r.reject().outInterface());
        assertEquals(Ip4.parse("10.0.0.1"), icmp.srcIp(), "no DNAT: the node's address toward the client");
        assertEquals(Ip4.parse("10.0.0.2"), icmp.dstIp());
        assertEquals(IcmpMessage.DEST_UNREACH, icmp.icmp().type());
        assertEquals(3, icmp.icmp().code());
        assertEquals(Ip4.parse("172.30.1.5"), icmp.icmp().quoted().dstIp());
        assertEquals(0xc0, icmp.tos());
        assertTrue(r.dropReason().startsWith("rejected by ip kube-proxy reject-chain #1: reject"), r.dropReason());
    }

    @Test
    void aResetAfterDnatComesFromTheServiceAddress() {
        NodeDatapath n = node(null, """
                table ip t {
                  chain p { type nat hook prerouting priority dstnat
                    ip daddr 10.96.0.10 tcp dport 80 dnat to 10.244.1.5:8080; }
                  chain f { type filter hook forward priority 0; ip daddr 10.244.1.5 reject with tcp reset; }
                }
                """);
        Packet syn = Packets.syn("10.0.0.2", 40000, "10.96.0.10", 80);
        PathResult r = fromClient(n, syn);
        assertTrue(r.rejected());
        Packet rst = r.reject().sent();
        assertEquals(Ip4.parse("10.96.0.10"), rst.srcIp(), "reverse-NATed like a reply");
        assertEquals(80, rst.srcPort());
        assertEquals(Ip4.parse("10.0.0.2"), rst.dstIp());
        assertEquals(40000, rst.dstPort());
        assertEquals(TcpFlags.RST | TcpFlags.ACK, rst.tcp().flags());
        assertEquals(0, rst.tcp().seq());
        assertEquals(1001, rst.tcp().ack());
        assertEquals(0, n.conntrack().count(), "the rejected connection leaves no entry");
    }

    @Test
    void anIcmpErrorAfterDnatQuotesAndComesFromTheServiceAddress() {
        NodeDatapath n = node(null, """
                table ip t {
                  chain p { type nat hook prerouting priority dstnat; ip daddr 10.96.0.10 dnat to 10.244.1.5; }
                  chain f { type filter hook forward priority 0; ip daddr 10.244.1.5 reject; }
                }
                """);
        PathResult r = fromClient(n, Packets.udp("10.0.0.2", 5000, "10.96.0.10", 53));
        Packet icmp = r.reject().sent();
        assertEquals(Ip4.parse("10.96.0.10"), icmp.srcIp());
        Packet inner = icmp.icmp().quoted();
        assertEquals(Ip4.parse("10.96.0.10"), inner.dstIp(), "the quoted header un-DNATed too");
        assertEquals(5000, inner.srcPort());
    }

    @Test
    void aRejectOfALocalDestinationComesFromIt() {
        NodeDatapath n =
                node(null, "table ip t { chain i { type filter hook input priority 0; tcp dport 22 reject; } }");
        PathResult r = fromClient(n, Packets.syn("10.0.0.2", 40000, "10.1.0.1", 22));
        assertEquals(PathResult.Path.LOCAL_IN, r.path());
        assertEquals(Ip4.parse("10.1.0.1"), r.reject().sent().srcIp());
        assertEquals("eth0", r.reject().outInterface());
    }

    @Test
    void theReplyGoesThroughOutputAndCanBeDropped() {
        NodeDatapath n = node(null, """
                table ip t {
                  chain f { type filter hook forward priority 0; reject; }
                  chain o { type filter hook output priority 0; policy drop; ct state related counter; }
                }
                """);
        PathResult r = fromClient(n, Packets.udp("10.0.0.2", 5000, "10.244.1.5", 53));
        assertTrue(r.rejected());
        assertNull(r.reject().sent());
        assertTrue(
                r.reject().notSent().startsWith("the reply was dropped in OUTPUT: dropped by ip t o policy drop"),
                r.reject().notSent());
        assertTrue(r.narrative().contains("OUTPUT ip t o: matched"), "ct state related: " + r.narrative());
    }

    @Test
    void noErrorAboutAnError() {
        NodeDatapath n = node(null, "table ip t { chain f { type filter hook forward priority 0; reject; } }");
        Packet quoted = Packets.udp("10.244.1.5", 53, "10.0.0.2", 5000);
        Packet error = Packet.icmp(
                Ip4.parse("10.0.0.2"),
                Ip4.parse("10.244.1.5"),
                IcmpMessage.error(IcmpMessage.DEST_UNREACH, 3, 0, quoted));
        PathResult r = fromClient(n, error);
        assertTrue(r.rejected());
        assertNull(r.reject().sent());
    }

    @Test
    void numgenDrawsFromTheNodesSeededStream() {
        String rules = """
                table ip t {
                  chain p { type nat hook prerouting priority dstnat;
                    ip daddr 10.96.0.10 numgen random mod 2 vmap { 0 : goto a, 1 : goto b } }
                  chain a { dnat to 10.244.1.1 }
                  chain b { dnat to 10.244.1.2 }
                }
                """;
        int[] counts = new int[2];
        StringBuilder first = new StringBuilder();
        for (int run = 0; run < 2; run++) {
            NodeDatapath n = node(null, rules);
            StringBuilder seq = new StringBuilder();
            for (int i = 0; i < 400; i++) {
                int dst = fromClient(n, Packets.syn("10.0.0.2", 1000 + i, "10.96.0.10", 80))
                        .out()
                        .dstIp();
                seq.append(dst & 0xff);
                if (run == 0) {
                    counts[(dst & 0xff) - 1]++;
                }
            }
            if (run == 0) {
                first.append(seq);
            } else {
                assertEquals(first.toString(), seq.toString(), "same seed, same choices");
            }
        }
        assertTrue(counts[0] > 150 && counts[1] > 150, counts[0] + " / " + counts[1]);
    }
}
