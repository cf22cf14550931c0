package io.kpsim.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.Conntrack;
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
 * {@code -m addrtype --src-type} and {@code --limit-iface-in} on a node with two devices
 * ({@code addrtype_mt_v1()}: the LOCAL type counts only for an address on the limiting device), and a rule without a
 * target: it counts, the walk goes on, and a trace of every rule shows it.
 */
class AddrTypeAndContinueTest {

    private static final String RULES = """
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A INPUT -m comment --comment counted
            -A INPUT -p sctp -m sctp --dport 80 -j DROP
            -A INPUT ! -p sctp -m comment --comment "not sctp"
            -A INPUT -m addrtype --dst-type LOCAL --limit-iface-in -j ACCEPT
            -A INPUT -j DROP
            -A OUTPUT -m addrtype ! --src-type LOCAL -j DROP
            -A OUTPUT -m addrtype --src-type LOCAL --dst-type MULTICAST -j REJECT
            COMMIT
            """;

    private final PacketTracer tracer = new PacketTracer(() -> new NodeDatapath(
            new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 7),
            IptablesRestore.parse(RULES),
            List.of(
                    new NetInterface("eth0", Ip4.parse("192.168.0.2")),
                    new NetInterface("eth1", Ip4.parse("10.0.0.1"))),
            List.of(new Route(Cidr.parse("0.0.0.0/0"), "eth0")),
            7));

    private TraceOutcome trace(String src, String dst, String in) {
        Packet p = Packet.tcp(
                Ip4.parse(src),
                Ip4.parse(dst),
                new TcpSegment(41000, 80, 1000, 0, TcpFlags.SYN, 64240, 0, TcpOptions.NONE, 0));
        List<TraceOutcome> outcomes = tracer.trace(new PacketTracer.Probe(p, in, 0, null));
        assertEquals(1, outcomes.size(), outcomes.toString());
        return outcomes.get(0);
    }

    @Test
    void limitIfaceInCountsOnlyTheArrivingDevicesAddresses() {
        assertEquals(
                TraceOutcome.Verdict.ACCEPT,
                trace("192.168.0.9", "192.168.0.2", "eth0").verdict());
        // 10.0.0.1 is the node's, but on eth1: with --limit-iface-in it is UNICAST for a packet from eth0
        assertEquals(
                TraceOutcome.Verdict.DROP,
                trace("192.168.0.9", "10.0.0.1", "eth0").verdict());
        assertEquals(
                TraceOutcome.Verdict.ACCEPT,
                trace("192.168.0.9", "10.0.0.1", "eth1").verdict());
    }

    @Test
    void srcTypeLocalMatchesTheNodesOwnSourceAddresses() {
        assertEquals(
                TraceOutcome.Verdict.ACCEPT,
                trace("10.0.0.1", "192.168.7.7", "eth0").verdict());
        assertEquals(
                TraceOutcome.Verdict.REJECT,
                trace("10.0.0.1", "224.0.0.9", "eth0").verdict());
    }

    @Test
    void aRuleWithoutTargetCountsAndTheWalkGoesOn() {
        TraceOutcome o = trace("192.168.0.9", "192.168.0.2", "eth0");
        String steps = o.steps().toString();
        assertTrue(steps.contains("INPUT filter INPUT: continue (no target: counted only)"), steps);
        assertTrue(steps.contains("INPUT filter INPUT: ACCEPT"), steps);
        // -p sctp never matches a TCP packet (kpsim's packets have no SCTP); ! -p sctp always does
        assertTrue(!steps.contains("DROP"), steps);
        assertEquals(2, steps.split("continue \\(no target", -1).length - 1, steps);
        NodeDatapath node = new NodeDatapath(
                new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 7),
                IptablesRestore.parse(RULES),
                List.of(new NetInterface("eth0", Ip4.parse("192.168.0.2"))),
                List.of(new Route(Cidr.parse("0.0.0.0/0"), "eth0")),
                7);
        node.receive(
                Packet.tcp(
                        Ip4.parse("192.168.0.9"),
                        Ip4.parse("192.168.0.2"),
                        new TcpSegment(41000, 80, 1000, 0, TcpFlags.SYN, 64240, 0, TcpOptions.NONE, 0)),
                "eth0",
                0);
        String saved = node.save();
        assertTrue(saved.matches("(?s).*\n\\[1:[1-9][0-9]*\\] -A INPUT -m comment --comment counted\n.*"), saved);
    }
}
