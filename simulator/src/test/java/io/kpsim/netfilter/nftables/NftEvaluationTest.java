package io.kpsim.netfilter.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.CtState;
import io.kpsim.netfilter.Hook;
import io.kpsim.netfilter.HookProgram;
import io.kpsim.netfilter.RejectWith;
import io.kpsim.packet.Packet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One base chain at a time, without a node: each construct evaluated as {@code nft_do_chain()}
 * and the expression's {@code _eval()} function do it.
 */
class NftEvaluationTest {

    private static NftEngine engine(String text) {
        return new NftEngine(NftParser.parse("test.nft", text));
    }

    /** A forward filter chain of an ip table with {@code rules}, and a regular chain {@code x} with {@code xRules}. */
    private static NftEngine forward(String policy, String rules, String xRules) {
        return engine("table ip t {\n chain x {\n" + xRules + "\n }\n chain c {\n type filter hook forward priority 0;"
                + " policy " + policy + ";\n" + rules + "\n }\n}\n");
    }

    private static boolean passes(String rules, Packet p) {
        return new FakeHook(p, "eth0", "eth1").run(forward("drop", rules + "\naccept", ""));
    }

    private static final Packet SYN = Packets.syn("10.0.0.1", 40000, "10.96.0.10", 80);
    private static final Packet UDP = Packets.udp("10.0.0.1", 40000, "10.96.0.10", 53);
    private static final Packet PING = Packets.ping("10.0.0.1", "10.96.0.10");

    @Test
    void acceptAndDropEndTheChainAndNameTheRule() {
        NftEngine e = forward("accept", "tcp dport 80 drop\nudp dport 53 accept", "");
        FakeHook h = new FakeHook(SYN, "eth0", "eth1");
        assertFalse(h.run(e));
        assertEquals("ip t c #1: tcp dport 80 drop", h.decided.toString());
        FakeHook u = new FakeHook(UDP, "eth0", "eth1");
        assertTrue(u.run(e));
        assertEquals("ip t c #2: udp dport 53 accept", u.decided.toString());
    }

    @Test
    void fallingOffTheBaseChainIsItsPolicy() {
        FakeHook h = new FakeHook(SYN, "eth0", "eth1");
        assertFalse(h.run(forward("drop", "udp dport 53 accept", "")));
        assertEquals("ip t c policy drop", h.decided.toString());
        assertTrue(new FakeHook(SYN, "eth0", "eth1").run(forward("accept", "udp dport 53 drop", "")));
    }

    @Test
    void jumpReturnsToTheRuleAfterItGotoDoesNot() {
        // jump: x returns, the rule after the jump (drop) decides
        assertFalse(new FakeHook(SYN, "eth0", "eth1").run(forward("accept", "jump x\ndrop", "return")));
        // goto: the end of x is the end of the base chain: its policy decides, the drop is not reached
        FakeHook h = new FakeHook(SYN, "eth0", "eth1");
        assertTrue(h.run(forward("accept", "goto x\ndrop", "tcp dport 81 drop")));
        assertEquals("ip t c policy accept", h.decided.toString());
        // return in the base chain goes to the policy
        assertFalse(new FakeHook(SYN, "eth0", "eth1").run(forward("drop", "return\naccept", "")));
    }

    @Test
    void jumpsNestAndPopInOrder() {
        NftEngine e = engine("""
                table ip t {
                  chain a {
                    jump b
                    meta mark set meta mark | 0x2
                  }
                  chain b {
                    meta mark set meta mark | 0x1
                  }
                  chain c {
                    type filter hook forward priority 0; policy accept;
                    jump a
                    meta mark 0x3 drop
                  }
                }
                """);
        FakeHook h = new FakeHook(SYN, "eth0", "eth1");
        assertFalse(h.run(e));
        assertEquals(3, h.skb.mark());
    }

    @Test
    void continueGoesOnWithTheSameRule() {
        FakeHook h = new FakeHook(SYN, "eth0", "eth1");
        assertTrue(h.run(forward("drop", "continue meta mark set 0x7\naccept", "")));
        assertEquals(7, h.skb.mark());
    }

    @Test
    void transportFieldsCarryTheirProtocolCheckAndThDoesNot() {
        assertTrue(passes("tcp dport 80 drop", UDP), "a UDP packet never matches tcp dport");
        assertFalse(passes("th dport 53 drop", UDP));
        assertFalse(passes("udp dport != 80 drop", UDP));
        assertTrue(passes("udp dport != 80 drop", SYN), "not UDP: the rule breaks, != included");
        assertTrue(passes("th dport != 80 drop", PING), "kpsim does not load an ICMP checksum");
        assertFalse(passes("th sport 2048 drop", PING), "type 8, code 0");
    }

    @Test
    void addressesPrefixesRangesAndSets() {
        assertFalse(passes("ip saddr 10.0.0.0/8 drop", SYN));
        assertTrue(passes("ip saddr != 10.0.0.0/8 drop", SYN));
        assertFalse(passes("ip daddr 10.96.0.1-10.96.0.20 drop", SYN));
        assertTrue(passes("ip daddr 10.96.0.11-10.96.0.20 drop", SYN));
        assertFalse(passes("ip daddr { 10.96.0.9, 10.96.0.10 } drop", SYN));
        assertFalse(passes("ip daddr { 10.96.0.0/24, 192.168.0.0/16 } drop", SYN));
        assertTrue(passes("ip daddr != { 10.96.0.0/24, 192.168.0.0/16 } drop", SYN));
        assertFalse(passes("tcp dport { 22, 80-90 } drop", SYN));
        assertFalse(passes("ip daddr . meta l4proto . th dport { 10.96.0.10 . tcp . 80 } drop", SYN));
        assertTrue(passes("ip daddr . meta l4proto . th dport { 10.96.0.10 . udp . 80 } drop", SYN));
    }

    @Test
    void namedSetsPlainIntervalAndConcatenatedRanges() {
        String tables = """
                table ip t {
                  set plain { type ipv4_addr; elements = { 10.96.0.10 } }
                  set nets { type ipv4_addr; flags interval; elements = { 10.96.0.0/28, 172.16.0.0/12 } }
                  set allow { type ipv4_addr . inet_proto . inet_service . ipv4_addr; flags interval;
                    elements = { 10.96.0.10 . tcp . 80-90 . 10.0.0.0/8 } }
                  chain c {
                    type filter hook forward priority 0; policy accept;
                    %s
                  }
                }
                """;
        for (String rule : List.of(
                "ip daddr @plain drop",
                "ip daddr @nets drop",
                "ip daddr . meta l4proto . th dport . ip saddr @allow drop")) {
            assertFalse(new FakeHook(SYN, "eth0", "eth1").run(engine(tables.formatted(rule))), rule);
        }
        Packet otherSource = Packets.syn("11.0.0.1", 40000, "10.96.0.10", 80);
        assertTrue(new FakeHook(otherSource, "eth0", "eth1")
                .run(engine(tables.formatted("ip daddr . meta l4proto . th dport . ip saddr @allow drop"))));
    }

    @Test
    void verdictMapsHitAndMiss() {
        NftEngine e = engine("""
                table ip t {
                  map svc { type ipv4_addr . inet_proto . inet_service : verdict;
                    elements = { 10.96.0.10 . tcp . 80 : goto x, 10.96.0.10 . udp . 53 : drop } }
                  chain x { meta mark set 0x10 }
                  chain c {
                    type filter hook forward priority 0; policy accept;
                    ip daddr . meta l4proto . th dport vmap @svc
                    meta mark set 0x20
                  }
                }
                """);
        FakeHook tcp = new FakeHook(SYN, "eth0", "eth1");
        assertTrue(tcp.run(e));
        assertEquals(0x10, tcp.skb.mark(), "goto x: x's end is the base policy, the next base rule never runs");
        assertFalse(new FakeHook(UDP, "eth0", "eth1").run(e));
        FakeHook miss = new FakeHook(Packets.udp("10.0.0.1", 1, "10.96.0.10", 54), "eth0", "eth1");
        assertTrue(miss.run(e));
        assertEquals(0x20, miss.skb.mark(), "no element: the rule breaks, the next one runs");
    }

    @Test
    void numgenRandomAsksTheNodeAndIncCounts() {
        NftEngine e = forward("accept", "numgen random mod 3 vmap { 0 : goto x, 1-2 : drop }", "meta mark set 0x1");
        FakeHook h = new FakeHook(SYN, "eth0", "eth1");
        h.draws.add(0);
        assertTrue(h.run(e));
        assertEquals(1, h.skb.mark());
        assertEquals(List.of("numgen random mod 3"), h.drawnAt);
        FakeHook h2 = new FakeHook(SYN, "eth0", "eth1");
        h2.draws.add(2);
        assertFalse(h2.run(e));
        NftEngine inc =
                forward("accept", "numgen inc mod 3 offset 10 vmap { 10 : drop, 11 : accept, 12 : accept }", "");
        boolean[] seen = new boolean[6];
        for (int i = 0; i < 6; i++) {
            seen[i] = new FakeHook(SYN, "eth0", "eth1").run(inc);
        }
        assertEquals("[false, true, true, false, true, true]", java.util.Arrays.toString(seen));
    }

    @Test
    void ctStateIsAFlagTestAndCtStatusNeedsAConntrack() {
        NftEngine e = forward("accept", "ct state established,related accept\nct state new drop", "");
        assertTrue(new FakeHook(SYN, "eth0", "eth1").ct(CtState.ESTABLISHED).run(e));
        assertFalse(new FakeHook(SYN, "eth0", "eth1").ct(CtState.NEW).run(e));
        assertTrue(new FakeHook(SYN, "eth0", "eth1").ct(CtState.INVALID).run(e));
        assertFalse(new FakeHook(SYN, "eth0", "eth1")
                .ct(CtState.INVALID)
                .run(forward("accept", "ct state invalid drop", "")));
        assertFalse(new FakeHook(SYN, "eth0", "eth1")
                .ct(CtState.UNTRACKED)
                .run(forward("accept", "ct state untracked drop", "")));
        assertTrue(
                new FakeHook(SYN, "eth0", "eth1").ct(CtState.NEW).run(forward("accept", "ct status != dnat drop", "")),
                "no conntrack entry: ct status cannot load, the rule breaks whatever the operator");
    }

    @Test
    void marksSetAndTested() {
        FakeHook h = new FakeHook(SYN, "eth0", "eth1");
        h.skb.mark(0xff00);
        assertTrue(h.run(forward("accept", """
                meta mark set meta mark | 0x4000
                meta mark & 0x00004000 == 0 drop
                meta mark set meta mark ^ 0x4000
                meta mark set meta mark & 0xf0ff
                meta mark != 0xb000 drop
                """, "")));
        assertEquals(0xb000, h.skb.mark());
    }

    @Test
    void interfaceNamesAndWildcards() {
        assertFalse(passes("iifname \"eth0\" drop", SYN));
        assertFalse(passes("iifname \"eth*\" drop", SYN));
        assertTrue(passes("iifname \"veth*\" drop", SYN));
        assertFalse(passes("oifname { \"eth1\", \"eth2\" } drop", SYN));
        FakeHook beforeRouting = new FakeHook(SYN, "eth0", null).at(Hook.PREROUTING);
        NftEngine pre = engine("table ip t { chain p { type filter hook prerouting priority 0; oifname \"\" drop; } }");
        assertFalse(beforeRouting.run(pre), "no output device yet: oifname is empty");
    }

    @Test
    void fibAddressTypes() {
        NftEngine e = forward("accept", "fib daddr type local drop", "");
        assertFalse(new FakeHook(SYN, "eth0", "eth1", "10.96.0.10").run(e));
        assertTrue(new FakeHook(SYN, "eth0", "eth1", "10.0.0.9").run(e));
        assertFalse(new FakeHook(Packets.syn("10.0.0.1", 1, "127.0.0.1", 80), "lo", null).run(e));
        NftEngine types = forward("accept", "fib daddr type { broadcast, multicast } drop", "");
        assertFalse(new FakeHook(Packets.udp("10.0.0.1", 1, "255.255.255.255", 67), "eth0", "eth1").run(types));
        assertFalse(new FakeHook(Packets.udp("10.0.0.1", 1, "224.0.0.251", 5353), "eth0", "eth1").run(types));
        assertTrue(new FakeHook(UDP, "eth0", "eth1").run(types));
        assertFalse(
                new FakeHook(SYN, "eth0", "eth1", "10.0.0.1").run(forward("accept", "fib saddr type local drop", "")));
    }

    @Test
    void tcpResetAppliesToTcpOnlyAndTheOtherPacketsGoOn() {
        NftEngine e = forward("accept", "reject with tcp reset\nmeta mark set 0x1 drop", "");
        FakeHook tcp = new FakeHook(SYN, "eth0", "eth1");
        assertFalse(tcp.run(e));
        assertEquals(RejectWith.TCP_RESET, tcp.rejected);
        FakeHook udp = new FakeHook(UDP, "eth0", "eth1");
        assertFalse(udp.run(e));
        assertNull(udp.rejected, "the hidden meta l4proto tcp check: UDP skips the reject and meets the drop");
        assertEquals(1, udp.skb.mark());
    }

    @Test
    void rejectTypesPerFamily() {
        FakeHook h = new FakeHook(UDP, "eth0", "eth1");
        assertFalse(h.run(forward("accept", "reject", "")));
        assertEquals(RejectWith.icmp(RejectWith.PORT_UNREACHABLE), h.rejected);
        h = new FakeHook(UDP, "eth0", "eth1");
        assertFalse(h.run(forward("accept", "reject with icmp type admin-prohibited", "")));
        assertEquals(RejectWith.icmp(RejectWith.ADMIN_PROHIBITED), h.rejected);
        String inet = "table inet t { chain c { type filter hook forward priority 0; %s; meta mark set 0x9; } }";
        h = new FakeHook(UDP, "eth0", "eth1");
        assertFalse(h.run(engine(inet.formatted("reject with icmpx type admin-prohibited"))));
        assertEquals(RejectWith.icmp(RejectWith.ADMIN_PROHIBITED), h.rejected, "icmpx maps to ICMP_PKT_FILTERED");
        h = new FakeHook(UDP, "eth0", "eth1");
        assertFalse(h.run(engine(inet.formatted("reject with icmpx type no-route"))));
        assertEquals(RejectWith.icmp(RejectWith.NET_UNREACHABLE), h.rejected);
        h = new FakeHook(UDP, "eth0", "eth1");
        assertTrue(h.run(engine(inet.formatted("reject with icmpv6 type admin-prohibited"))));
        assertEquals(9, h.skb.mark(), "an IPv6-only reject does not apply to IPv4");
    }

    @Test
    void natStatementsAskTheNatCoreAndEndTheChain() {
        NftEngine e = engine("""
                table ip t {
                  chain p {
                    type nat hook prerouting priority dstnat;
                    ip daddr 10.96.0.10 meta l4proto tcp dnat to 10.244.1.5:8080
                    ip daddr 10.96.0.10 dnat to numgen random mod 2 map { 0 : 10.244.1.6, 1 : 10.244.1.7 }
                  }
                  chain o {
                    type nat hook postrouting priority srcnat;
                    meta l4proto udp snat to 192.168.0.1:1000-2000 fully-random
                    oifname "eth1" masquerade fully-random
                  }
                }
                """);
        FakeHook tcp = new FakeHook(SYN, "eth0", null).at(Hook.PREROUTING);
        assertTrue(tcp.run(e));
        assertEquals(List.of("dnat 10.244.1.5:8080"), tcp.nat);
        FakeHook udp = new FakeHook(UDP, "eth0", null).at(Hook.PREROUTING);
        udp.draws.add(1);
        assertTrue(udp.run(e));
        assertEquals(List.of("dnat 10.244.1.7"), udp.nat);
        FakeHook post = new FakeHook(SYN, "eth0", "eth1").at(Hook.POSTROUTING);
        assertTrue(post.run(e));
        assertEquals(List.of("masquerade random"), post.nat);
        FakeHook postUdp = new FakeHook(UDP, "eth0", "eth1").at(Hook.POSTROUTING);
        assertTrue(postUdp.run(e));
        assertEquals(List.of("snat 192.168.0.1:1000 random"), postUdp.nat);
    }

    @Test
    void dynamicSetsRememberAndExpire() {
        NftEngine e = engine("""
                table ip t {
                  set aff { type ipv4_addr; flags dynamic,timeout; timeout 10s; }
                  chain x {
                    update @aff { ip saddr }
                  }
                  chain c {
                    type filter hook forward priority 0; policy accept;
                    ip saddr @aff drop
                    jump x
                  }
                }
                """);
        long second = 1_000_000_000L;
        FakeHook first = new FakeHook(SYN, "eth0", "eth1");
        assertTrue(first.run(e));
        FakeHook again = new FakeHook(SYN, "eth0", "eth1");
        again.now = 9 * second;
        assertFalse(again.run(e), "remembered");
        FakeHook later = new FakeHook(SYN, "eth0", "eth1");
        later.now = 10 * second;
        assertTrue(later.run(e), "expired after the set's 10s timeout");
        String printed = NftPrinter.print(e.snapshot(10 * second));
        assertTrue(printed.contains("elements = { 10.0.0.1 expires 10s }"), printed);
    }

    @Test
    void countersCountAndPrint() {
        NftEngine e = forward("accept", "tcp dport 80 counter packets 5 bytes 500 accept", "");
        assertTrue(new FakeHook(SYN, "eth0", "eth1").run(e));
        assertTrue(new FakeHook(SYN, "eth0", "eth1").run(e));
        int len = SYN.totalLength();
        assertTrue(NftPrinter.print(e.snapshot(0))
                .contains("tcp dport 80 counter packets 7 bytes " + (500 + 2 * len) + " accept"));
    }

    @Test
    void onlyIpv4TablesRegister() {
        NftEngine e = engine("""
                table ip6 six { chain c { type filter hook forward priority 0; drop; } }
                table inet both { chain c { type filter hook forward priority 5; accept; } }
                table ip four { chain c { type nat hook prerouting priority -100; } }
                """);
        List<HookProgram> p = e.programs();
        assertEquals(2, p.size());
        assertEquals("inet both", p.get(0).label());
        assertEquals(5, p.get(0).priority());
        assertFalse(p.get(0).nat());
        assertTrue(p.get(1).nat());
        assertTrue(p.get(1).trivial());
    }

    @Test
    void traceNamesChainsRulesAndVerdicts() {
        FakeHook h = new FakeHook(SYN, "eth0", "eth1");
        h.run(forward("accept", "jump x\ntcp dport 80 drop", "meta mark set 0x1"));
        assertEquals(
                List.of("FORWARD ip t c: jump x", "FORWARD ip t x: matched", "FORWARD ip t c: drop"),
                h.trace.stream().map(Object::toString).toList());
        assertEquals(2, h.trace.get(2).ruleNumber());
        assertEquals("tcp dport 80 drop", h.trace.get(2).rule());
    }
}
