package io.kpsim.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PacketTracer} on a small node (192.168.0.2 on eth0, default route by eth0): the path a
 * packet takes by its addresses, statistic branches with their probabilities, REJECT's reply, the
 * TTL rule of {@code ip_forward()}, a given mark and ctstate.
 */
class PacketTracerTest {

    private static final String RULES = """
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            :SVC - [0:0]
            -A PREROUTING -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j SVC
            -A POSTROUTING -s 10.0.0.0/8 -o eth0 -j MASQUERADE
            -A SVC -m statistic --mode random --probability 0.33333333349 -p tcp -j DNAT --to-destination 10.244.1.1:8080
            -A SVC -m statistic --mode random --probability 0.50000000000 -p tcp -j DNAT --to-destination 10.244.1.2:8080
            -A SVC -p tcp -j DNAT --to-destination 10.244.1.3:8080
            COMMIT
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A INPUT -p tcp -m tcp --dport 23 -j REJECT --reject-with tcp-reset
            -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
            -A FORWARD -m mark --mark 0x1/0x1 -j DROP
            COMMIT
            """;

    private static final int NODE = Ip4.parse("192.168.0.2");
    private final Ruleset rules = IptablesRestore.parse(RULES);
    private final PacketTracer tracer = new PacketTracer(() -> new NodeDatapath(
            new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 3),
            rules,
            List.of(new NetInterface("eth0", NODE)),
            List.of(new Route(Cidr.parse("0.0.0.0/0"), "eth0")),
            3));

    private static Packet syn(String src, String dst, int port, int ttl) {
        Packet p = Packet.tcp(
                Ip4.parse(src),
                Ip4.parse(dst),
                new TcpSegment(40000, port, 1, 0, TcpFlags.SYN, 64240, 0, TcpOptions.NONE, 0));
        return new Packet(p.srcIp(), p.dstIp(), 0, 0, ttl, p.transport());
    }

    private List<TraceOutcome> trace(Packet p, int mark, CtState state) {
        return tracer.trace(new PacketTracer.Probe(p, "eth0", mark, state));
    }

    @Test
    void everyStatisticBranchIsAnOutcomeWithItsProbability() {
        List<TraceOutcome> o = trace(syn("10.0.0.5", "10.96.0.10", 80, 64), 0, null);
        assertEquals(3, o.size(), o.toString());
        assertEquals("10.244.1.1:8080", o.get(0).dnat());
        assertEquals("10.244.1.2:8080", o.get(1).dnat());
        assertEquals("10.244.1.3:8080", o.get(2).dnat());
        // 0.33333333349 and 0.5 as the kernel stores them (units of 2^-31)
        double p1 = Math.round(0.33333333349 * 2147483648.0) / 2147483648.0;
        assertEquals(p1, o.get(0).probability(), 1e-15);
        assertEquals((1 - p1) * 0.5, o.get(1).probability(), 1e-15);
        assertEquals((1 - p1) * 0.5, o.get(2).probability(), 1e-15);
        for (TraceOutcome x : o) {
            assertEquals(TraceOutcome.Verdict.ACCEPT, x.verdict());
            assertTrue(x.masquerade());
            assertEquals("192.168.0.2:40000", x.snat());
            assertEquals("eth0", x.outInterface());
            assertEquals(List.of(Hook.PREROUTING, Hook.FORWARD, Hook.POSTROUTING), x.hooks());
        }
        // the jump is listed, with its rule number, as -j TRACE lists it
        TraceStep jump = o.get(0).steps().stream()
                .filter(s -> "jump SVC".equals(s.action()))
                .findFirst()
                .orElseThrow();
        assertEquals(1, jump.ruleNumber());
        assertEquals(List.of("PREROUTING"), jump.chainPath());
    }

    @Test
    void aPacketToANodeAddressIsDeliveredThroughInput() {
        TraceOutcome o =
                trace(syn("203.0.113.9", "192.168.0.2", 22, 64), 0, null).get(0);
        assertEquals(TraceOutcome.Verdict.ACCEPT, o.verdict());
        assertTrue(o.local());
        assertNull(o.dnat());
        assertEquals(List.of(Hook.PREROUTING, Hook.INPUT), o.hooks());
    }

    @Test
    void aRejectNamesWhatItSendsBack() {
        List<TraceOutcome> list = trace(syn("203.0.113.9", "192.168.0.2", 23, 64), 0, null);
        assertEquals(1, list.size());
        TraceOutcome o = list.get(0);
        assertEquals(TraceOutcome.Verdict.REJECT, o.verdict());
        assertEquals("tcp-reset", o.rejectWith());
        assertFalse(o.local());
        assertEquals(List.of(Hook.PREROUTING, Hook.INPUT), o.hooks());
    }

    @Test
    void ttlOneIsNotForwardedAndTtlTwoLeavesWithOne() {
        TraceOutcome dead =
                trace(syn("10.0.0.5", "198.51.100.7", 80, 1), 0, null).get(0);
        assertEquals(TraceOutcome.Verdict.DROP, dead.verdict());
        assertTrue(dead.reason().contains("TTL 1 expired"), dead.reason());
        assertEquals(List.of(Hook.PREROUTING), dead.hooks());
        TraceOutcome alive =
                trace(syn("10.0.0.5", "198.51.100.7", 80, 2), 0, null).get(0);
        assertEquals(TraceOutcome.Verdict.ACCEPT, alive.verdict());
        assertTrue(alive.steps().stream().anyMatch(s -> "forwarded out eth0, TTL 2 -> 1".equals(s.action())));
        TraceOutcome toNode =
                trace(syn("10.0.0.5", "192.168.0.2", 22, 1), 0, null).get(0);
        assertTrue(toNode.local(), "local delivery does not check the TTL");
    }

    @Test
    void aGivenMarkIsMatched() {
        TraceOutcome o = trace(syn("10.0.0.5", "198.51.100.7", 80, 64), 1, null).get(0);
        assertEquals(TraceOutcome.Verdict.DROP, o.verdict());
        assertEquals(List.of(Hook.PREROUTING, Hook.FORWARD), o.hooks());
    }

    @Test
    void anEstablishedPacketSkipsTheNatTable() {
        List<TraceOutcome> o = trace(syn("10.0.0.5", "10.96.0.10", 80, 64), 0, CtState.ESTABLISHED);
        assertEquals(1, o.size(), "no statistic draw: the nat table runs only for NEW and RELATED");
        assertNull(o.get(0).dnat());
        assertFalse(o.get(0).masquerade());
    }

    @Test
    void aNodeSourcedPacketStartsAtOutput() {
        TraceOutcome o =
                trace(syn("192.168.0.2", "10.96.0.10", 80, 64), 0, null).get(0);
        assertNull(o.dnat(), "the DNAT rule is in PREROUTING only");
        assertEquals(List.of(Hook.OUTPUT, Hook.POSTROUTING), o.hooks());
        TraceOutcome lo = trace(syn("127.0.0.1", "127.0.0.1", 22, 64), 0, null).get(0);
        assertTrue(lo.local());
        assertEquals(List.of(Hook.OUTPUT, Hook.POSTROUTING, Hook.PREROUTING, Hook.INPUT), lo.hooks());
    }
}
