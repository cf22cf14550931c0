package io.kpsim.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.UdpDatagram;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * iptables' REJECT (through the node's reject framework, {@link Rejecter}), SNAT, REDIRECT,
 * {@code -m multiport} and {@code -m icmp}: evaluation on a node, the kernel's checks (each refusal below was
 * confirmed with the real iptables 1.8.9 on Linux 6.18: REJECT outside filter and tcp-reset
 * without {@code -p tcp} fail with "RULE_APPEND failed (Invalid argument)"), and
 * {@code iptables-save}'s text for each.
 */
class IptablesVocabularyTest {

    private static final long SECOND = 1_000_000_000L;

    /** A node with eth0 (10.0.0.1, the client side) and eth1 (10.1.0.1, pods and the rest). */
    private static NodeDatapath node(String iptablesSave) {
        Conntrack ct = new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 3);
        NodeDatapath n = new NodeDatapath(
                ct,
                IptablesRestore.parse(iptablesSave),
                List.of(
                        new NetInterface("eth0", Ip4.parse("10.0.0.1")),
                        new NetInterface("eth1", Ip4.parse("10.1.0.1"))),
                List.of(new Route(Cidr.parse("10.0.0.0/24"), "eth0"), new Route(Cidr.parse("0.0.0.0/0"), "eth1")),
                11);
        n.tracing(true);
        return n;
    }

    private static Packet syn(String src, int sport, String dst, int dport) {
        return Packet.tcp(
                Ip4.parse(src),
                Ip4.parse(dst),
                new TcpSegment(sport, dport, 1000, 0, TcpFlags.SYN, 64240, 0, TcpOptions.syn(1460, 7, true), 0));
    }

    private static Packet udp(String src, int sport, String dst, int dport) {
        return Packet.udp(Ip4.parse(src), Ip4.parse(dst), new UdpDatagram(sport, dport, 10));
    }

    private static PathResult fromClient(NodeDatapath n, Packet p) {
        return n.receive(p, "eth0", SECOND);
    }

    private static String filter(String rules) {
        return "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n" + rules + "COMMIT\n";
    }

    @Test
    void kubeProxysServiceWithoutEndpointsIsRejectedWithPortUnreachable() {
        NodeDatapath n = node(filter(":KUBE-SERVICES - [0:0]\n"
                + "-A FORWARD -m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\""
                + " -j KUBE-SERVICES\n"
                + "-A KUBE-SERVICES -d 172.30.1.5/32 -p tcp -m comment --comment \"ns/svc:p has no endpoints\""
                + " -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable\n"));
        PathResult r = fromClient(n, syn("10.0.0.2", 40000, "172.30.1.5", 80));
        assertFalse(r.accepted());
        assertTrue(r.rejected());
        assertEquals(RejectWith.icmp(RejectWith.PORT_UNREACHABLE), r.reject().with());
        Packet icmp = r.reject().sent();
        assertEquals("eth0", r.reject().outInterface());
        assertEquals(Ip4.parse("10.0.0.1"), icmp.srcIp(), "the node's address toward the client");
        assertEquals(Ip4.parse("10.0.0.2"), icmp.dstIp());
        assertEquals(IcmpMessage.DEST_UNREACH, icmp.icmp().type());
        assertEquals(3, icmp.icmp().code());
        assertEquals(Ip4.parse("172.30.1.5"), icmp.icmp().quoted().dstIp());
        assertTrue(
                r.decidedBy().toString().startsWith("filter KUBE-SERVICES #1: "),
                r.decidedBy().toString());
        assertTrue(r.narrative().contains("REJECT with icmp-port-unreachable"), r.narrative());
    }

    @Test
    void aTcpResetAfterDnatComesFromTheServiceAddress() {
        NodeDatapath n = node("*nat\n:PREROUTING ACCEPT [0:0]\n"
                + "-A PREROUTING -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.1.5:8080\n"
                + "COMMIT\n"
                + filter("-A FORWARD -d 10.244.1.5/32 -p tcp -j REJECT --reject-with tcp-reset\n"));
        PathResult r = fromClient(n, syn("10.0.0.2", 40000, "10.96.0.10", 80));
        assertTrue(r.rejected());
        assertEquals(RejectWith.TCP_RESET, r.reject().with());
        Packet rst = r.reject().sent();
        assertEquals(Ip4.parse("10.96.0.10"), rst.srcIp(), "reverse-NATed like a reply");
        assertEquals(80, rst.srcPort());
        assertEquals(40000, rst.dstPort());
        assertEquals(TcpFlags.RST | TcpFlags.ACK, rst.tcp().flags());
        assertEquals(1001, rst.tcp().ack(), "the SYN's sequence plus one");
        assertEquals(0, n.conntrack().count(), "the rejected connection leaves no entry");
    }

    @Test
    void everyRejectTypeSendsItsCodeAndSavesUnderItsLongName() {
        String[][] types = {
            {"icmp-net-unreachable", "0"},
            {"net-unreach", "0"},
            {"icmp-host-unreachable", "1"},
            {"icmp-proto-unreachable", "2"},
            {"port-unreach", "3"},
            {"icmp-net-prohibited", "9"},
            {"host-prohib", "10"},
            {"icmp-admin-prohibited", "13"},
        };
        for (String[] t : types) {
            String text = filter("-A FORWARD -d 10.244.1.5/32 -j REJECT --reject-with " + t[0] + "\n");
            NodeDatapath n = node(text);
            PathResult r = fromClient(n, udp("10.0.0.2", 5000, "10.244.1.5", 53));
            assertEquals(Integer.parseInt(t[1]), r.reject().sent().icmp().code(), t[0]);
            String saved = IptablesRestore.parse(text).save();
            assertTrue(saved.contains("-j REJECT --reject-with " + RejectWith.icmp(Integer.parseInt(t[1]))), saved);
        }
    }

    @Test
    void rejectWithoutATypeSavesTheDefault() {
        assertEquals(
                filter("-A INPUT -p tcp -m tcp --dport 22 -j REJECT --reject-with icmp-port-unreachable\n"),
                IptablesRestore.parse(filter("-A INPUT -p tcp -m tcp --dport 22 -j REJECT\n"))
                        .save());
    }

    @Test
    void aRejectOfALocalDestinationComesFromIt() {
        NodeDatapath n = node(filter("-A INPUT -p tcp -m tcp --dport 22 -j REJECT --reject-with tcp-reset\n"));
        PathResult r = fromClient(n, syn("10.0.0.2", 40000, "10.1.0.1", 22));
        assertEquals(PathResult.Path.LOCAL_IN, r.path());
        assertEquals(Ip4.parse("10.1.0.1"), r.reject().sent().srcIp());
        assertEquals("eth0", r.reject().outInterface());
    }

    @Test
    void theReplyGoesThroughOutputAndCanBeDropped() {
        NodeDatapath n = node("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT DROP [0:0]\n"
                + "-A FORWARD -j REJECT\nCOMMIT\n");
        PathResult r = fromClient(n, udp("10.0.0.2", 5000, "10.244.1.5", 53));
        assertTrue(r.rejected());
        assertNull(r.reject().sent());
        assertTrue(
                r.reject().notSent().startsWith("the reply was dropped in OUTPUT"),
                r.reject().notSent());
    }

    @Test
    void aDropIsNotAReject() {
        NodeDatapath n = node(filter("-A FORWARD -j DROP\n"));
        PathResult r = fromClient(n, udp("10.0.0.2", 5000, "10.244.1.5", 53));
        assertFalse(r.accepted());
        assertFalse(r.rejected());
    }

    @Test
    void theKernelsChecksOnRejectAreKept() {
        IptablesTextException mangle = assertThrows(
                IptablesTextException.class,
                () -> IptablesRestore.parse("*mangle\n:INPUT ACCEPT [0:0]\n-A INPUT -j REJECT\nCOMMIT\n"));
        assertTrue(mangle.getMessage().contains("only valid in table filter"), mangle.getMessage());
        IptablesTextException udpReset = assertThrows(
                IptablesTextException.class,
                () -> IptablesRestore.parse(filter("-A INPUT -p udp -j REJECT --reject-with tcp-reset\n")));
        assertTrue(udpReset.getMessage().startsWith("line 5: "), udpReset.getMessage());
        assertTrue(udpReset.getMessage().contains("only valid with -p tcp"), udpReset.getMessage());
        IptablesTextException notTcp = assertThrows(
                IptablesTextException.class,
                () -> IptablesRestore.parse(filter("-A INPUT ! -p tcp -j REJECT --reject-with tcp-reset\n")));
        assertTrue(notTcp.getMessage().contains("only valid with -p tcp"), notTcp.getMessage());
        IptablesTextException bad = assertThrows(
                IptablesTextException.class,
                () -> IptablesRestore.parse(filter("-A INPUT -j REJECT --reject-with icmp-echo-reply\n")));
        assertTrue(bad.getMessage().contains("'icmp-echo-reply' is not a reject type"), bad.getMessage());
        IptablesTextException prerouting = assertThrows(
                IptablesTextException.class,
                () -> IptablesRestore.parse("*filter\n:INPUT ACCEPT [0:0]\n:X - [0:0]\n-A X -j REJECT\nCOMMIT\n"
                        + "*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j REJECT\nCOMMIT\n"));
        assertTrue(prerouting.getMessage().contains("only valid in table filter"), prerouting.getMessage());
    }

    @Test
    void snatRewritesTheSourceAndSavesAsTheKernelPrintsIt() {
        String text = "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + ":POSTROUTING ACCEPT [0:0]\n"
                + "-A POSTROUTING -s 10.0.0.0/24 -o eth1 -p tcp -j SNAT --to-source 10.1.0.99:20000-20010"
                + " --random-fully\n"
                + "-A POSTROUTING -s 10.0.0.0/24 -o eth1 -j SNAT --to-source 10.1.0.98\nCOMMIT\n";
        assertEquals(text, IptablesRestore.parse(text).save());
        NodeDatapath n = node(text);
        PathResult r = fromClient(n, syn("10.0.0.2", 40000, "10.244.1.5", 80));
        assertTrue(r.accepted(), r.narrative());
        assertTrue(r.snat());
        assertEquals(Ip4.parse("10.1.0.99"), r.out().srcIp());
        assertTrue(
                r.out().srcPort() >= 20000 && r.out().srcPort() <= 20010,
                "port " + r.out().srcPort());
        PathResult u = fromClient(n, udp("10.0.0.2", 5000, "10.244.1.5", 53));
        assertEquals(Ip4.parse("10.1.0.98"), u.out().srcIp());
        assertEquals(5000, u.out().srcPort(), "a free source port is kept without a port range");
    }

    @Test
    void snatIsOnlyForPostroutingAndInputOfTheNatTable() {
        IptablesTextException e = assertThrows(
                IptablesTextException.class,
                () -> IptablesRestore.parse(
                        "*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j SNAT --to-source 1.2.3.4\nCOMMIT\n"));
        assertTrue(e.getMessage().contains("cannot be used from PREROUTING"), e.getMessage());
        IptablesTextException f = assertThrows(
                IptablesTextException.class,
                () -> IptablesRestore.parse(filter("-A INPUT -j SNAT --to-source 1.2.3.4\n")));
        assertTrue(f.getMessage().contains("only valid in table nat"), f.getMessage());
    }

    @Test
    void multiportMatchesListsAndRangesAndNegates() {
        NodeDatapath n = node(filter("-A FORWARD -p tcp -m multiport --dports 80,443:445 -j DROP\n"
                + "-A FORWARD -p udp -m multiport ! --sports 53,123 -j DROP\n"
                + "-A FORWARD -p tcp -m multiport --ports 7000 -j DROP\n"));
        assertFalse(fromClient(n, syn("10.0.0.2", 40000, "10.244.1.5", 80)).accepted());
        assertFalse(fromClient(n, syn("10.0.0.2", 40001, "10.244.1.5", 444)).accepted());
        assertTrue(fromClient(n, syn("10.0.0.2", 40002, "10.244.1.5", 446)).accepted());
        assertTrue(fromClient(n, udp("10.0.0.2", 53, "10.244.1.5", 9)).accepted(), "53 is in the negated list");
        assertFalse(fromClient(n, udp("10.0.0.2", 54, "10.244.1.5", 9)).accepted());
        assertFalse(fromClient(n, syn("10.0.0.2", 7000, "10.244.1.5", 9)).accepted(), "--ports: either port");
        assertFalse(fromClient(n, syn("10.0.0.2", 40003, "10.244.1.5", 7000)).accepted());
    }

    @Test
    void multiportSavesAsTheKernelPrintsItAndKeepsItsChecks() {
        String text = filter("-A INPUT -p tcp -m multiport ! --dports 80,443:445 -j REJECT"
                + " --reject-with icmp-net-prohibited\n");
        assertEquals(text, IptablesRestore.parse(text).save());
        assertEquals(
                filter("-A INPUT -p udp -m multiport --sports 1,2 -j ACCEPT\n"),
                IptablesRestore.parse(filter("-A INPUT -p udp -m multiport --source-ports 1,2 -j ACCEPT\n"))
                        .save());
        String sixteen = "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16";
        IptablesTextException many = assertThrows(
                IptablesTextException.class,
                () -> IptablesRestore.parse(filter("-A INPUT -p tcp -m multiport --dports " + sixteen + " -j DROP\n")));
        assertTrue(many.getMessage().contains("too many ports"), many.getMessage());
        IptablesTextException ranges = assertThrows(
                IptablesTextException.class,
                () -> IptablesRestore.parse(filter(
                        "-A INPUT -p tcp -m multiport --dports 1:2,3:4,5:6,7:8,9:10,11:12,13:14,15:16 -j DROP\n")));
        assertTrue(ranges.getMessage().contains("too many ports"), "a range takes two: " + ranges.getMessage());
        String fifteen = "1:2,3:4,5:6,7:8,9:10,11:12,13:14,15";
        assertTrue(IptablesRestore.parse(filter("-A INPUT -p tcp -m multiport --dports " + fifteen + " -j DROP\n"))
                .save()
                .contains(fifteen));
        IptablesTextException noProto = assertThrows(
                IptablesTextException.class,
                () -> IptablesRestore.parse(filter("-A INPUT -m multiport --dports 80 -j DROP\n")));
        assertTrue(noProto.getMessage().contains("multiport needs -p tcp or -p udp"), noProto.getMessage());
        IptablesTextException two = assertThrows(
                IptablesTextException.class,
                () -> IptablesRestore.parse(filter("-A INPUT -p tcp -m multiport --dports 80 --sports 1 -j DROP\n")));
        assertTrue(two.getMessage().contains("only have one option"), two.getMessage());
        IptablesTextException reversed = assertThrows(
                IptablesTextException.class,
                () -> IptablesRestore.parse(filter("-A INPUT -p tcp -m multiport --dports 90:80 -j DROP\n")));
        assertTrue(reversed.getMessage().contains("range '90:80' is reversed"), reversed.getMessage());
    }

    @Test
    void redirectSendsThePacketToTheIncomingDevicesAddress() {
        String text = "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + ":POSTROUTING ACCEPT [0:0]\n"
                + "-A PREROUTING -d 10.244.1.5/32 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 15001\n"
                + "-A PREROUTING -d 10.244.1.6/32 -p udp -j REDIRECT\n"
                + "-A OUTPUT -d 10.96.0.10/32 -p tcp -j REDIRECT --to-ports 15001-15002\n"
                + "COMMIT\n";
        assertEquals(text, IptablesRestore.parse(text).save());
        NodeDatapath n = node(text);
        PathResult r = fromClient(n, syn("10.0.0.2", 40000, "10.244.1.5", 80));
        assertEquals(PathResult.Path.LOCAL_IN, r.path(), r.narrative());
        assertTrue(r.dnat());
        assertEquals(Ip4.parse("10.0.0.1"), r.out().dstIp(), "eth0's address: the device it came in by");
        assertEquals(15001, r.out().dstPort());
        PathResult u = fromClient(n, udp("10.0.0.2", 5000, "10.244.1.6", 53));
        assertEquals(Ip4.parse("10.0.0.1"), u.out().dstIp());
        assertEquals(53, u.out().dstPort(), "no --to-ports: the port is kept");
        PathResult local = n.send(syn("10.1.0.1", 41000, "10.96.0.10", 443), SECOND);
        assertEquals(RedirectTarget.LOOPBACK, local.out().dstIp(), "OUTPUT redirects to 127.0.0.1");
        assertEquals(15001, local.out().dstPort());
        IptablesTextException noProto = assertThrows(
                IptablesTextException.class,
                () -> IptablesRestore.parse(
                        "*nat\n:PREROUTING ACCEPT [0:0]\n" + "-A PREROUTING -j REDIRECT --to-ports 80\nCOMMIT\n"));
        assertTrue(noProto.getMessage().contains("needs -p tcp or -p udp"), noProto.getMessage());
        IptablesTextException post = assertThrows(
                IptablesTextException.class,
                () -> IptablesRestore.parse(
                        "*nat\n:POSTROUTING ACCEPT [0:0]\n" + "-A POSTROUTING -p tcp -j REDIRECT\nCOMMIT\n"));
        assertTrue(post.getMessage().contains("cannot be used from POSTROUTING"), post.getMessage());
    }

    private static Packet icmp(int type, int code) {
        Packet quoted = udp("10.244.1.5", 53, "10.0.0.2", 5000);
        IcmpMessage m = type == IcmpMessage.ECHO_REQUEST
                ? new IcmpMessage(IcmpMessage.ECHO_REQUEST, 0, 7, 1, 0, null, 56)
                : IcmpMessage.error(type, code, 0, quoted);
        return Packet.icmp(Ip4.parse("10.0.0.2"), Ip4.parse("10.244.1.5"), m);
    }

    @Test
    void icmpTypesAndCodesMatchAndSaveAsTheKernelPrintsThem() {
        String input = filter("-A FORWARD -p icmp -m icmp --icmp-type echo-request -j ACCEPT\n"
                + "-A FORWARD -p icmp --icmp-type port-unreachable -j DROP\n"
                + "-A FORWARD -p icmp -m icmp ! --icmp-type any -j DROP\n"
                + "-A FORWARD -p icmp --icmp-type 3 -j ACCEPT\n");
        assertEquals(
                filter("-A FORWARD -p icmp -m icmp --icmp-type 8 -j ACCEPT\n"
                        + "-A FORWARD -p icmp -m icmp --icmp-type 3/3 -j DROP\n"
                        + "-A FORWARD -p icmp -m icmp ! --icmp-type any -j DROP\n"
                        + "-A FORWARD -p icmp -m icmp --icmp-type 3 -j ACCEPT\n"),
                IptablesRestore.parse(input).save());
        NodeDatapath n = node("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + "-A FORWARD -p icmp -m icmp --icmp-type 8 -j ACCEPT\n"
                + "-A FORWARD -p icmp -m icmp --icmp-type 3/3 -j DROP\n"
                + "-A FORWARD -p icmp -m icmp --icmp-type 3 -j ACCEPT\nCOMMIT\n");
        assertTrue(fromClient(n, icmp(IcmpMessage.ECHO_REQUEST, 0)).accepted());
        assertFalse(fromClient(n, icmp(IcmpMessage.DEST_UNREACH, 3)).accepted(), "3/3 is dropped");
        assertTrue(fromClient(n, icmp(IcmpMessage.DEST_UNREACH, 1)).accepted(), "type 3, any other code");
        IptablesTextException noType = assertThrows(
                IptablesTextException.class, () -> IptablesRestore.parse(filter("-A INPUT -p icmp -m icmp -j DROP\n")));
        assertTrue(noType.getMessage().contains("\"--icmp-type\" must be specified"), noType.getMessage());
        IptablesTextException noProto = assertThrows(
                IptablesTextException.class, () -> IptablesRestore.parse(filter("-A INPUT --icmp-type 8 -j DROP\n")));
        assertTrue(noProto.getMessage().contains("--icmp-type needs -p icmp"), noProto.getMessage());
        IptablesTextException bad = assertThrows(
                IptablesTextException.class,
                () -> IptablesRestore.parse(filter("-A INPUT -p icmp --icmp-type 256 -j DROP\n")));
        assertTrue(bad.getMessage().contains("invalid ICMP type '256'"), bad.getMessage());
    }
}
