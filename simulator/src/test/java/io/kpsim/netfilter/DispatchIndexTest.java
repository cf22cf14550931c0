package io.kpsim.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.UdpDatagram;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The {@link DispatchIndex} changes nothing but speed: the same random packets through two nodes
 * with the same rules and seeds, one walking every rule ({@link NodeDatapath#linearWalk}), one
 * indexed, give the same verdicts, packets, traces and rule counters. The rules are kube-proxy's
 * for 400 Services and a chain
 * that mixes what may and may not be skipped: repeated addresses, a non-terminal rule before a
 * DNAT to the same address, {@code -m statistic} before {@code -d}, {@code ! -d}, prefixes, RETURN.
 */
class DispatchIndexTest {

    private static final String MIXED = """
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            :MIXED - [0:0]
            -A PREROUTING -j MIXED
            -A MIXED -d 10.97.0.1/32 -p tcp -j MARK --set-xmark 0x1/0x1
            -A MIXED -d 10.97.0.2/32 -p udp -j DNAT --to-destination 10.244.9.2:53
            -A MIXED -d 10.97.0.3/32 -j RETURN
            -A MIXED -d 10.97.0.1/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.9.1:80
            -A MIXED -d 10.97.0.4/32 -p tcp -m tcp --dport 81 -j DNAT --to-destination 10.244.9.4:80
            -A MIXED -d 10.97.0.5/32 -p tcp -j DNAT --to-destination 10.244.9.5:80
            -A MIXED -d 10.97.0.6/32 -p tcp -j DNAT --to-destination 10.244.9.6:80
            -A MIXED -d 10.97.0.7/32 -p tcp -j DNAT --to-destination 10.244.9.7:80
            -A MIXED -d 10.97.0.1/32 -p tcp -j DNAT --to-destination 10.244.9.8:80
            -A MIXED -m statistic --mode random --probability 0.5 -d 10.97.0.8/32 -p tcp -j DNAT --to-destination 10.244.9.9:80
            -A MIXED -d 10.97.0.9/32 -p tcp -j DNAT --to-destination 10.244.9.10:80
            -A MIXED ! -d 10.97.0.10/32 -p udp -j DNAT --to-destination 10.244.9.11:53
            -A MIXED -d 10.97.0.0/24 -p tcp -m tcp --dport 82 -j DNAT --to-destination 10.244.9.12:80
            -A MIXED -d 10.97.0.11/32 -p tcp -j DNAT --to-destination 10.244.9.13:80
            COMMIT
            """;

    private static Ruleset rules() {
        List<KubeService> services = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 400; i++) {
            List<KubeEndpoint> eps = new ArrayList<>();
            int n = r.nextInt(1, 4);
            for (int e = 0; e < n; e++) {
                eps.add(new KubeEndpoint(Ip4.parse("10.244." + (i % 200) + "." + (e + 2)), 8080));
            }
            Protocol p = i % 5 == 0 ? Protocol.UDP : Protocol.TCP;
            int vip = Ip4.parse("10.96." + (i / 250) + "." + (i % 250 + 1));
            services.add(new KubeService("ns", "s" + i, "p", p, vip, i % 3 == 0 ? 443 : 80, eps));
        }
        Ruleset kube = KubeProxyRules.ruleset(services, KubeProxyConfig.of(Cidr.parse("10.244.0.0/16"), true));
        Ruleset mixed = IptablesRestore.parse(MIXED);
        return kube.with(mergeNat(kube, mixed));
    }

    private static TableRules mergeNat(Ruleset kube, Ruleset mixed) {
        TableRules nat = kube.table(Table.NAT);
        Chain pre = nat.chain("PREROUTING");
        nat = nat.with(mixed.table(Table.NAT).chain("MIXED"));
        return nat.with(
                pre.prepend(mixed.table(Table.NAT).chain("PREROUTING").rules().get(0)));
    }

    private static NodeDatapath node(Ruleset rules, boolean linear) {
        NodeDatapath n = new NodeDatapath(
                new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 5),
                rules,
                List.of(new NetInterface("eth0", Ip4.parse("192.168.0.2"))),
                List.of(new Route(Cidr.parse("0.0.0.0/0"), "eth0")),
                5);
        n.tracing(true);
        n.traceEveryRule(true);
        n.linearWalk(linear);
        return n;
    }

    @Test
    void indexedAndLinearWalksAgreeOnRandomPackets() {
        Ruleset rules = rules();
        NodeDatapath linear = node(rules, true);
        NodeDatapath indexed = node(rules, false);
        SplittableRandom r = new SplittableRandom(42);
        long now = 1_000_000_000L;
        for (int i = 0; i < 2000; i++) {
            Packet p = packet(r);
            PathResult a = linear.receive(p, "eth0", now);
            PathResult b = indexed.receive(p, "eth0", now);
            String what = "packet " + i + ": " + p.summary();
            assertEquals(a.verdict(), b.verdict(), what);
            assertEquals(a.out(), b.out(), what);
            assertEquals(a.dropReason(), b.dropReason(), what);
            assertEquals(a.narrative(), b.narrative(), what);
            now += 1_000_000L;
        }
        assertEquals(linear.save(), indexed.save(), "every rule counter agrees");
    }

    @Test
    void kubeServicesIsIndexedAndShortChainsAreNot() {
        Ruleset rules = rules();
        CompiledTable nat = new CompiledTable(rules.table(Table.NAT));
        assertTrue(nat.dispatchSegments() >= 2, "KUBE-SERVICES and MIXED's run: " + nat.dispatchSegments());
        assertEquals(0, new CompiledTable(IptablesRestore.parse(MIXED).table(Table.FILTER)).dispatchSegments());
    }

    private static Packet packet(SplittableRandom r) {
        int dst = switch (r.nextInt(4)) {
            case 0 -> Ip4.parse("10.96.0." + (r.nextInt(251) + 1));
            case 1 -> Ip4.parse("10.96.1." + (r.nextInt(160) + 1));
            case 2 -> Ip4.parse("10.97.0." + r.nextInt(14));
            default -> r.nextInt();
        };
        int src = r.nextBoolean() ? Ip4.parse("10.244.3." + r.nextInt(250)) : Ip4.parse("203.0.113." + r.nextInt(250));
        int port = switch (r.nextInt(4)) {
            case 0 -> 80;
            case 1 -> 443;
            case 2 -> 53;
            default -> r.nextInt(1, 65536);
        };
        int sport = r.nextInt(1024, 65536);
        if (r.nextInt(4) == 0) {
            return Packet.udp(src, dst, new UdpDatagram(sport, port, 10));
        }
        return Packet.tcp(
                src, dst, new TcpSegment(sport, port, r.nextInt(), 0, TcpFlags.SYN, 64240, 0, TcpOptions.NONE, 0));
    }
}
