package io.kpsim.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.netfilter.ipset.IpsetRestore;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.UdpDatagram;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The match modules and targets beyond kube-proxy's core vocabulary, evaluated on a node: tcp
 * flags, the conntrack entry tests, state, connmark and CONNMARK, statistic nth, recent and limit
 * on the simulation clock, set against {@code ipset save} text, iprange, length, ttl, pkttype,
 * physdev, mac, TOS, TCPMSS, NAT address ranges, and {@code --unknown-match=ignore}.
 */
class MatchModulesTest {

    private static final long SECOND = 1_000_000_000L;

    private static NodeDatapath node(String text) {
        return node(IptablesRestore.parse(text));
    }

    private static NodeDatapath node(Ruleset rules) {
        Conntrack ct = new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 3);
        NodeDatapath n = new NodeDatapath(
                ct,
                rules,
                List.of(
                        new NetInterface("eth0", Ip4.parse("10.0.0.1")),
                        new NetInterface("eth1", Ip4.parse("10.1.0.1"))),
                List.of(new Route(Cidr.parse("10.0.0.0/24"), "eth0"), new Route(Cidr.parse("0.0.0.0/0"), "eth1")),
                11);
        n.tracing(true);
        return n;
    }

    private static String filter(String rules) {
        return "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n" + rules + "COMMIT\n";
    }

    private static Packet tcp(String src, int sport, String dst, int dport, int flags) {
        return Packet.tcp(
                Ip4.parse(src),
                Ip4.parse(dst),
                new TcpSegment(sport, dport, 1000, 0, flags, 64240, 0, TcpOptions.syn(1460, 7, true), 0));
    }

    private static Packet udp(String src, int sport, String dst, int dport, int len) {
        return Packet.udp(Ip4.parse(src), Ip4.parse(dst), new UdpDatagram(sport, dport, len));
    }

    private static boolean passes(NodeDatapath n, Packet p, long now) {
        return n.receive(p, "eth0", now).accepted();
    }

    @Test
    void tcpFlagsAndSynMatchAsTcpMt() {
        NodeDatapath n = node(filter("-A FORWARD -p tcp --syn -j DROP\n"
                + "-A FORWARD -p tcp -m tcp --tcp-flags ALL NONE -j DROP\n"
                + "-A FORWARD -p tcp -m tcp ! --tcp-flags SYN,ACK ACK -j DROP\n"));
        assertFalse(passes(n, tcp("10.0.0.2", 1000, "10.2.0.1", 80, TcpFlags.SYN), SECOND), "--syn");
        assertFalse(passes(n, tcp("10.0.0.2", 1001, "10.2.0.1", 80, 0), SECOND), "ALL NONE: a null scan");
        // SYN|ACK: not --syn (ACK set), (SYN,ACK & flags) != ACK, so ! --tcp-flags SYN,ACK ACK drops it
        assertFalse(passes(n, tcp("10.0.0.2", 1002, "10.2.0.1", 80, TcpFlags.SYN | TcpFlags.ACK), SECOND));
        assertThrows(
                IptablesTextException.class,
                () -> IptablesRestore.parse(filter("-A FORWARD -p udp --syn -j DROP\n")),
                "--syn is tcp's");
        assertThrows(
                IptablesTextException.class,
                () -> IptablesRestore.parse(filter("-A FORWARD -m tcp --dport 1 -j DROP\n")));
    }

    @Test
    void conntrackEntryTestsAndStateAndConnmark() {
        NodeDatapath n = node(filter("-A FORWARD -m conntrack --ctstate NEW --ctorigdst 10.2.0.0/16"
                + " ! --ctorigsrcport 1000 -j CONNMARK --set-mark 0x7\n"
                + "-A FORWARD -m connmark --mark 0x7 -m state --state NEW -j DROP\n"
                + "-A FORWARD -m conntrack --ctstatus SEEN_REPLY -j ACCEPT\n"
                + "-A FORWARD -m state ! --state NEW -j DROP\n"));
        assertFalse(passes(n, tcp("10.0.0.2", 1001, "10.2.0.1", 80, TcpFlags.SYN), SECOND), "connmark set, dropped");
        assertTrue(passes(n, tcp("10.0.0.2", 1000, "10.2.0.1", 80, TcpFlags.SYN), SECOND), "port 1000 excluded");
        assertTrue(passes(n, tcp("10.0.0.2", 1002, "10.3.0.1", 80, TcpFlags.SYN), SECOND), "other original dst");
        // a retransmitted SYN is still NEW (no reply seen): CONNMARK skipped (port 1000), accepted by nothing else
        assertTrue(passes(n, tcp("10.0.0.2", 1000, "10.2.0.1", 80, TcpFlags.SYN), 2 * SECOND));
        // the SYN/ACK is ESTABLISHED with SEEN_REPLY set by conntrack before FORWARD
        PathResult reply =
                n.receive(tcp("10.2.0.1", 80, "10.0.0.2", 1000, TcpFlags.SYN | TcpFlags.ACK), "eth1", 3 * SECOND);
        assertTrue(reply.accepted());
        assertTrue(
                reply.decidedBy().toString().startsWith("filter FORWARD #3"),
                reply.decidedBy().toString());
    }

    @Test
    void connmarkSaveAndRestoreCarryTheMarkAcrossPackets() {
        NodeDatapath n = node("*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n"
                + ":OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
                + "-A PREROUTING -j CONNMARK --restore-mark\n"
                + "-A PREROUTING -m mark --mark 0x0 -p udp --dport 53 -j MARK --set-mark 0x5\n"
                + "-A PREROUTING -j CONNMARK --save-mark\n"
                + "COMMIT\n"
                + filter("-A FORWARD -m mark --mark 0x5 -m connmark ! --mark 0x5 -j DROP\n"
                        + "-A FORWARD -m connmark --mark 0x5 -m mark --mark 0x5 -j ACCEPT\n"
                        + "-A FORWARD -j DROP\n"));
        assertTrue(passes(n, udp("10.0.0.2", 5353, "10.2.0.1", 53, 20), SECOND));
        assertTrue(passes(n, udp("10.0.0.2", 5353, "10.2.0.1", 53, 20), 2 * SECOND), "mark restored from ct");
        assertFalse(passes(n, udp("10.0.0.2", 5353, "10.2.0.1", 54, 20), 3 * SECOND));
    }

    @Test
    void statisticNthMatchesThePacketNumberedPacketOfEachGroup() {
        NodeDatapath n = node(filter("-A FORWARD -m statistic --mode nth --every 3 --packet 1 -j DROP\n"));
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            seen.append(passes(n, udp("10.0.0.2", 2000 + i, "10.2.0.1", 53, 20), SECOND) ? '.' : 'D');
        }
        assertEquals(".D..D..", seen.toString());
    }

    @Test
    void recentSetAndRcheckWithSecondsAndHitcountFollowTheClock() {
        NodeDatapath n = node(filter("-A FORWARD -p udp --dport 1 -m recent --set --name PROBE -j ACCEPT\n"
                + "-A FORWARD -m recent --rcheck --seconds 10 --hitcount 2 --name PROBE -j DROP\n"
                + "-A FORWARD -m recent --update --seconds 5 --name PROBE --rsource -j ACCEPT\n"
                + "-A FORWARD -j REJECT\n"));
        // not in the table: the last rule rejects
        assertFalse(passes(n, udp("10.0.0.2", 3000, "10.2.0.1", 2, 20), SECOND));
        assertTrue(passes(n, udp("10.0.0.2", 3001, "10.2.0.1", 1, 20), 2 * SECOND), "--set");
        // one hit only: not dropped; --update finds the stamp of 2 s within 5 s and accepts
        assertTrue(passes(n, udp("10.0.0.2", 3002, "10.2.0.1", 2, 20), 3 * SECOND));
        // the update stamped it again: two hits within 10 s, dropped
        assertFalse(passes(n, udp("10.0.0.2", 3003, "10.2.0.1", 2, 20), 4 * SECOND));
        // 20 s later every stamp is older than 10 s and 5 s: rejected by the last rule
        assertFalse(n.receive(udp("10.0.0.2", 3004, "10.2.0.1", 2, 20), "eth0", 30 * SECOND)
                        .rejected()
                == false);
        assertEquals(1, n.xt().recentSize("PROBE"));
    }

    @Test
    void limitIsATokenBucketOnTheSimulationClock() {
        NodeDatapath n =
                node(filter("-A FORWARD -m limit --limit 2/sec --limit-burst 3 -j ACCEPT\n" + "-A FORWARD -j DROP\n"));
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            seen.append(passes(n, udp("10.0.0.2", 4000 + i, "10.2.0.1", 53, 20), SECOND) ? 'A' : 'D');
        }
        assertEquals("AAADD", seen.toString(), "the burst, then nothing within the same jiffy");
        // half a second refills one token (2/sec)
        assertTrue(passes(n, udp("10.0.0.2", 4010, "10.2.0.1", 53, 20), SECOND + SECOND / 2));
        assertFalse(passes(n, udp("10.0.0.2", 4011, "10.2.0.1", 53, 20), SECOND + SECOND / 2));
    }

    @Test
    void setMatchesAgainstIpsetSaveText() {
        String sets = """
                create s_ip hash:ip family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0xd925bd12
                add s_ip 10.0.0.2
                create s_net hash:net family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x9e83b6ad
                add s_net 10.9.1.0/24 nomatch
                add s_net 10.9.0.0/16
                create s_ipport hash:ip,port family inet hashsize 1024 maxelem 65536
                add s_ipport 10.2.0.1,udp:53
                create s_bmport bitmap:port range 1-1024
                add s_bmport 22
                create s_list list:set size 8
                add s_list s_ip
                add s_list s_net
                """;
        var parsed = IpsetRestore.parse(sets, "sets.txt");
        Ruleset rules = IptablesRestore.parse(
                filter("-A FORWARD -m set --match-set s_net dst -j DROP\n"
                        + "-A FORWARD -m set --match-set s_ipport dst,dst -j DROP\n"
                        + "-A FORWARD -m set --match-set s_bmport dst -j DROP\n"
                        + "-A FORWARD -m set ! --match-set s_list src -j DROP\n"),
                parsed,
                UnknownModules.REFUSE);
        NodeDatapath n = node(rules);
        n.xt().ipsets(parsed);
        assertFalse(passes(n, udp("10.0.0.2", 1, "10.9.2.1", 80, 20), SECOND), "in 10.9/16");
        assertTrue(passes(n, udp("10.0.0.2", 2, "10.9.1.1", 80, 20), SECOND), "the nomatch /24 is more specific");
        assertFalse(passes(n, udp("10.0.0.2", 3, "10.2.0.1", 53, 20), SECOND), "ip,port with udp:53");
        assertTrue(passes(n, tcp("10.0.0.2", 4, "10.2.0.1", 53, TcpFlags.SYN), SECOND), "tcp 53 is not udp:53");
        assertFalse(passes(n, tcp("10.0.0.2", 5, "10.2.0.1", 22, TcpFlags.SYN), SECOND), "bitmap:port");
        assertFalse(passes(n, udp("10.0.0.3", 6, "10.2.0.1", 80, 20), SECOND), "source in no member of the list");
        assertTrue(passes(n, udp("10.0.0.2", 7, "10.2.0.1", 80, 20), SECOND), "source in s_ip, a member");
        IptablesTextException missing = assertThrows(
                IptablesTextException.class,
                () -> IptablesRestore.parse(
                        filter("-A FORWARD -m set --match-set nosuch src -j DROP\n"), parsed, UnknownModules.REFUSE));
        assertEquals("line 5: Set nosuch doesn't exist", missing.getMessage());
    }

    @Test
    void addressLengthTtlAndLinkLayerMatches() {
        NodeDatapath n = node(filter("-A FORWARD -m iprange --src-range 10.0.0.5-10.0.0.9 -j DROP\n"
                + "-A FORWARD -m length --length 1000: -j DROP\n"
                + "-A FORWARD -m ttl --ttl-lt 10 -j DROP\n"
                + "-A FORWARD -m physdev --physdev-is-bridged -j DROP\n"
                + "-A FORWARD -m physdev ! --physdev-is-bridged -m mac ! --mac-source 02:00:00:00:00:01 -j DROP\n"
                + "-A FORWARD -m pkttype ! --pkt-type unicast -j DROP\n"));
        assertFalse(passes(n, udp("10.0.0.7", 1, "10.2.0.1", 80, 20), SECOND), "iprange");
        assertTrue(passes(n, udp("10.0.0.10", 1, "10.2.0.1", 80, 20), SECOND));
        assertFalse(passes(n, udp("10.0.0.10", 2, "10.2.0.1", 80, 1000), SECOND), "length 1028 >= 1000");
        Packet lowTtl = udp("10.0.0.10", 3, "10.2.0.1", 80, 20);
        lowTtl = new Packet(lowTtl.srcIp(), lowTtl.dstIp(), 0, 1, 9, lowTtl.transport());
        assertFalse(passes(n, lowTtl, SECOND), "TTL 9 < 10");
        assertFalse(passes(n, udp("10.0.0.10", 4, "224.0.0.9", 80, 20), SECOND), "multicast is not unicast");
    }

    @Test
    void tosTcpmssAndNatAddressRanges() {
        NodeDatapath n = node("*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n"
                + ":OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
                + "-A PREROUTING -j TOS --set-tos 0x10/0x3f\n"
                + "-A FORWARD -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 1200\n"
                + "COMMIT\n"
                + "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + ":POSTROUTING ACCEPT [0:0]\n"
                + "-A PREROUTING -p tcp -d 10.96.0.1 -j DNAT --to-destination 10.2.0.1-10.2.0.4:8080\n"
                + "COMMIT\n");
        PathResult r = n.receive(tcp("10.0.0.2", 5000, "10.96.0.1", 80, TcpFlags.SYN), "eth0", SECOND);
        assertTrue(r.accepted());
        assertEquals(0x10, r.out().tos());
        assertEquals(1200, r.out().tcp().options().mss());
        int dst = r.out().dstIp();
        assertTrue(
                Integer.compareUnsigned(dst, Ip4.parse("10.2.0.1")) >= 0
                        && Integer.compareUnsigned(dst, Ip4.parse("10.2.0.4")) <= 0,
                Ip4.format(dst));
        assertEquals(8080, r.out().dstPort());
    }

    @Test
    void jhashPicksTheKernelsAddressFromARange() {
        // find_best_ips_proto(): jhash2 of the source seeded with the destination, scaled to the range (the
        // kernel oracle, IptablesKernelOracleTest, checks the choice itself against the kernel's)
        NatRange range = new NatRange(Ip4.parse("10.2.0.1"), Ip4.parse("10.2.0.4"), 0, 0, false, false, false);
        int a = range.bestIp(Ip4.parse("10.0.0.2"), Ip4.parse("10.96.0.1"));
        assertEquals(a, range.bestIp(Ip4.parse("10.0.0.2"), Ip4.parse("10.96.0.1")), "deterministic");
        NatRange persistent = new NatRange(Ip4.parse("10.2.0.1"), Ip4.parse("10.2.0.4"), 0, 0, false, false, true);
        assertEquals(
                persistent.bestIp(Ip4.parse("10.0.0.2"), Ip4.parse("10.96.0.1")),
                persistent.bestIp(Ip4.parse("10.0.0.2"), Ip4.parse("10.96.0.99")),
                "--persistent ignores the destination");
    }

    @Test
    void unknownModulesAreRefusedOrIgnoredAndReported() {
        String text = filter(
                "-A FORWARD -m hashlimit --hashlimit-upto 1/sec --hashlimit-name x ! -s 10.0.0.9" + " -j DROP\n");
        IptablesTextException e = assertThrows(IptablesTextException.class, () -> IptablesRestore.parse(text));
        assertTrue(e.getMessage().startsWith("line 5: match module 'hashlimit' is not modelled"), e.getMessage());
        Ruleset r = IptablesRestore.parse(text, null, UnknownModules.IGNORE);
        Rule rule = r.table(Table.FILTER).chain("FORWARD").rules().get(0);
        assertEquals(
                "! -s 10.0.0.9/32 -m hashlimit --hashlimit-upto 1/sec --hashlimit-name x -j DROP", rule.saveText());
        NodeDatapath n = node(r);
        assertFalse(passes(n, udp("10.0.0.2", 1, "10.2.0.1", 80, 20), SECOND), "ignored module matches");
        assertTrue(passes(n, udp("10.0.0.9", 1, "10.2.0.1", 80, 20), SECOND));
    }
}
