package io.kpsim.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.UdpDatagram;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code -j CT --zone} through the rule engine: the raw table's rule puts the packet's conntrack
 * lookup in its zone, so two datagrams with the same tuples, one from each device, make two
 * entries, and a trace shows the rule and the zone at the conntrack step.
 */
class CtZoneTraceTest {

    private static final String RULES = """
            *raw
            :PREROUTING ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A PREROUTING -i eth1 -j CT --zone 5
            COMMIT
            """;
    private static final int A = Ip4.parse("10.1.0.7");
    private static final int B = Ip4.parse("10.2.0.9");

    private static NodeDatapath node() {
        return new NodeDatapath(
                new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 1),
                IptablesRestore.parse(RULES),
                List.of(
                        new NetInterface("eth0", Ip4.parse("192.168.0.2")),
                        new NetInterface("eth1", Ip4.parse("10.3.0.1"))),
                List.of(new Route(Cidr.parse("0.0.0.0/0"), "eth0")),
                1);
    }

    @Test
    void theSameTuplesFromTwoDevicesAreTwoEntriesInTwoZones() {
        NodeDatapath n = node();
        Packet p = Packet.udp(A, B, new UdpDatagram(5000, 53, 10));
        PathResult fromEth0 = n.receive(p, "eth0", 1_000_000_000L);
        PathResult fromEth1 = n.receive(p, "eth1", 1_000_000_000L);
        assertEquals(CtState.NEW, fromEth0.ct().state());
        assertEquals(CtState.NEW, fromEth1.ct().state(), "zone 5 does not see zone 0's entry");
        assertNotEquals(fromEth0.ct().entry(), fromEth1.ct().entry());
        assertEquals(0, n.conntrack().zone(fromEth0.ct().entry()));
        assertEquals(5, n.conntrack().zone(fromEth1.ct().entry()));
        assertEquals(2, n.conntrack().count());
        PathResult again = n.receive(p, "eth1", 2_000_000_000L);
        assertEquals(fromEth1.ct().entry(), again.ct().entry(), "the next datagram in zone 5 finds its entry");
    }

    @Test
    void aTraceShowsTheRuleAndTheZone() {
        List<TraceOutcome> o = new PacketTracer(CtZoneTraceTest::node)
                .trace(new PacketTracer.Probe(Packet.udp(A, B, new UdpDatagram(5000, 53, 10)), "eth1", 0, null));
        assertEquals(1, o.size());
        List<String> steps = o.get(0).steps().stream().map(TraceStep::toString).toList();
        assertTrue(steps.stream().anyMatch(s -> s.contains("CT zone 5")), String.join("\n", steps));
        assertTrue(
                steps.stream().anyMatch(s -> s.contains("conntrack") && s.contains("NEW ORIGINAL (entry 0) zone=5")),
                String.join("\n", steps));
    }
}
