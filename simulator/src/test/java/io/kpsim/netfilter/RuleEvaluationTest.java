package io.kpsim.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtState;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code ipt_do_table()} semantics: jumps, RETURN, goto, policies, counters, marks, ctstate, statistic. */
class RuleEvaluationTest {

    static Packet tcp(String src, int sport, String dst, int dport) {
        return Packet.tcp(
                Ip4.parse(src),
                Ip4.parse(dst),
                new TcpSegment(sport, dport, 1000, 0, TcpFlags.SYN, 64240, 0, TcpOptions.NONE, 0));
    }

    static Skb skb(Packet p, long seed) {
        return new Skb(p, "eth0", "cni0", null, a -> a == Ip4.parse("192.168.1.10"), new SplittableRandom(seed));
    }

    static CompiledTable compile(String text, Table table) {
        return new CompiledTable(IptablesRestore.parse(text).table(table));
    }

    /** Records DNATs instead of setting up bindings. */
    static final class RecordingNat implements NatTargets {
        final List<DnatTarget> dnats = new ArrayList<>();

        @Override
        public boolean dnat(Skb skb, DnatTarget target, Hook hook, List<TraceStep> trace) {
            dnats.add(target);
            return true;
        }

        @Override
        public boolean masquerade(Skb skb, MasqueradeTarget target, Hook hook, List<TraceStep> trace) {
            return true;
        }

        @Override
        public boolean snat(Skb skb, SnatTarget target, Hook hook, List<TraceStep> trace) {
            return true;
        }

        @Override
        public boolean redirect(Skb skb, RedirectTarget target, Hook hook, List<TraceStep> trace) {
            return true;
        }
    }

    @Test
    void jumpReturnAndGotoFollowTheJumpStack() {
        CompiledTable t = compile("""
                *filter
                :FORWARD DROP [0:0]
                :A - [0:0]
                :B - [0:0]
                :C - [0:0]
                -A FORWARD -j A
                -A FORWARD -p tcp --dport 80 -j ACCEPT
                -A A -g B
                -A A -j DROP
                -A B -s 10.0.0.0/8 -j RETURN
                -A B -j C
                -A C -j RETURN
                COMMIT
                """, Table.FILTER);
        // 10/8 source: A -g B, B RETURNs straight to FORWARD (goto pushed nothing), then port 80 ACCEPT
        int d = t.walk(Hook.FORWARD, skb(tcp("10.0.0.2", 40000, "10.96.0.10", 80), 1), new RecordingNat(), null);
        assertEquals(0, d & CompiledTable.DROP);
        assertEquals(
                new RuleRef(
                        Table.FILTER,
                        "FORWARD",
                        2,
                        t.source.chain("FORWARD").rules().get(1)),
                t.ref(d));
        // other source: B -j C, C RETURN to B, B ends (implicit return) to FORWARD, not to A's DROP
        int d2 = t.walk(Hook.FORWARD, skb(tcp("192.0.2.1", 40000, "10.96.0.10", 443), 1), new RecordingNat(), null);
        assertEquals(CompiledTable.DROP, d2 & CompiledTable.DROP);
        assertEquals("filter FORWARD policy", t.ref(d2).toString());
        assertEquals(2, t.packets[t.flatIndex("FORWARD", 0)]);
        assertEquals(1, t.packets[t.flatIndex("C", 0)]);
        assertEquals(0, t.packets[t.flatIndex("A", 1)]);
        assertEquals(1, t.policyPackets[t.chainIndex("FORWARD")]);
    }

    @Test
    void kubePostroutingMarkAndXor() {
        CompiledTable t = compile("""
                *mangle
                :POSTROUTING ACCEPT [0:0]
                :KUBE-POSTROUTING - [0:0]
                -A POSTROUTING -j KUBE-POSTROUTING
                -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
                -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
                -A KUBE-POSTROUTING -j DROP
                COMMIT
                """, Table.MANGLE);
        Skb unmarked = skb(tcp("10.0.0.2", 1, "10.0.0.3", 2), 1);
        assertEquals(0, t.walk(Hook.POSTROUTING, unmarked, new RecordingNat(), null) & CompiledTable.DROP);
        Skb marked = skb(tcp("10.0.0.2", 1, "10.0.0.3", 2), 1);
        marked.mark(0x4001);
        List<TraceStep> trace = new ArrayList<>();
        assertEquals(
                CompiledTable.DROP, t.walk(Hook.POSTROUTING, marked, new RecordingNat(), trace) & CompiledTable.DROP);
        assertEquals(0x0001, marked.mark());
        assertEquals(
                "POSTROUTING mangle KUBE-POSTROUTING: MARK 0x4001 -> 0x1",
                trace.get(0).toString());
    }

    @Test
    void ctstateMatchesAsXtConntrack() {
        ConntrackMatch invalid = new ConntrackMatch(ConntrackMatch.INVALID, false, null);
        ConntrackMatch established =
                new ConntrackMatch(ConntrackMatch.ESTABLISHED | ConntrackMatch.RELATED, false, null);
        ConntrackMatch replyOnly = new ConntrackMatch(0, false, CtDir.REPLY);
        ConntrackMatch notEstablished = new ConntrackMatch(ConntrackMatch.ESTABLISHED, true, null);
        Skb s = skb(tcp("10.0.0.2", 1, "10.0.0.3", 2), 1);
        assertTrue(invalid.matches(s));
        assertFalse(established.matches(s));
        assertFalse(replyOnly.matches(s), "--ctdir never matches a packet without conntrack");
        assertTrue(notEstablished.matches(s));
        s.attach(CtState.ESTABLISHED, CtDir.REPLY, 7);
        assertFalse(invalid.matches(s));
        assertTrue(established.matches(s));
        assertTrue(replyOnly.matches(s));
        assertFalse(notEstablished.matches(s));
        s.attach(CtState.UNTRACKED, null, -1);
        assertFalse(invalid.matches(s));
        assertTrue(new ConntrackMatch(ConntrackMatch.UNTRACKED, false, null).matches(s));
    }

    @Test
    void matchesOnAddressesInterfacesPortsAndAddrtype() {
        Skb s = skb(tcp("10.244.1.3", 8080, "192.168.1.10", 30080), 1);
        assertTrue(new AddressMatch(true, Cidr.parse("10.244.0.0/16"), false).matches(s));
        assertFalse(new AddressMatch(true, Cidr.parse("10.244.0.0/16"), true).matches(s));
        assertTrue(new InterfaceMatch(true, "eth+", false).matches(s));
        assertFalse(new InterfaceMatch(false, "eth0", false).matches(s));
        assertTrue(PortMatch.any(io.kpsim.packet.Protocol.TCP)
                .withDport(30000, 32767, false)
                .matches(s));
        assertFalse(PortMatch.any(io.kpsim.packet.Protocol.UDP).matches(s));
        assertTrue(AddrTypeMatch.dstLocal(false).matches(s));
        assertFalse(AddrTypeMatch.dstLocal(false).matches(skb(tcp("10.244.1.3", 8080, "10.96.0.10", 80), 1)));
    }

    @Test
    void statisticSpreadsNewConnectionsEvenlyAndDeterministically() {
        KubeService web = KubeProxyRulesTest.defaultWeb();
        Ruleset rules = KubeProxyRules.ruleset(List.of(web), KubeProxyConfig.of(Cidr.parse("10.244.0.0/16"), true));
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String> firstTen = new ArrayList<>();
        CompiledTable nat = new CompiledTable(rules.table(Table.NAT));
        SplittableRandom stream = new SplittableRandom(42);
        int n = 30_000;
        for (int i = 0; i < n; i++) {
            RecordingNat rec = new RecordingNat();
            Skb s = new Skb(
                    tcp("10.244.5.6", 10000 + i % 50000, "10.96.45.10", 80), "cni0", null, null, a -> false, stream);
            nat.walk(Hook.PREROUTING, s, rec, null);
            String ep = Ip4.format(rec.dnats.get(0).ip(), rec.dnats.get(0).port());
            counts.merge(ep, 1, Integer::sum);
            if (firstTen.size() < 10) {
                firstTen.add(ep);
            }
        }
        assertEquals(
                List.of("10.244.1.3:8080", "10.244.2.4:8080", "10.244.3.5:8080"),
                counts.keySet().stream().sorted().toList());
        for (int c : counts.values()) {
            assertTrue(Math.abs(c - n / 3) < 500, () -> "uneven spread " + counts);
        }
        // the same seed picks the same endpoints in the same order; another seed does not
        assertEquals(firstTen, pick(nat, 42, 10));
        assertNotEquals(firstTen, pick(nat, 43, 10));
    }

    private static List<String> pick(CompiledTable nat, long seed, int count) {
        SplittableRandom stream = new SplittableRandom(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordingNat rec = new RecordingNat();
            nat.walk(
                    Hook.PREROUTING,
                    new Skb(tcp("10.244.5.6", 10000 + i, "10.96.45.10", 80), "cni0", null, null, a -> false, stream),
                    rec,
                    null);
            out.add(Ip4.format(rec.dnats.get(0).ip(), rec.dnats.get(0).port()));
        }
        return out;
    }
}
