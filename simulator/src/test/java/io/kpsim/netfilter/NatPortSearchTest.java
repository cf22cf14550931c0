package io.kpsim.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtResult;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.Status;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.TcpState;
import io.kpsim.conntrack.Tuple;
import io.kpsim.conntrack.profile.Kernel;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.conntrack.profile.Release;
import io.kpsim.conntrack.profile.Switch;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.UdpDatagram;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The five NAT port-search switches ({@link PortSearch}, research note N1), each on both sides of
 * its boundary with the packets that expose it: the 4.19.227 rover against 4.19.228's bounded
 * attempts, 4.19's ICMP id rover against 5.0, 6.6's TIME_WAIT eviction, 6.6.57's
 * {@code nf_nat_used_tuple_new()} and 6.12's DNAT ranges from their minimum.
 */
class NatPortSearchTest {

    private static final long MS = 1_000_000L;
    private static final int NODE = NodeFixture.NODE_IP;
    private static final int REMOTE = Ip4.parse("198.51.100.1");
    private static final int A = Ip4.parse("10.244.1.5");
    private static final int B = Ip4.parse("10.244.2.7");

    private static Kernel at(String release) {
        return Kernel.at(Release.parse(release));
    }

    private static void boundary(Switch s, Kernel without, Kernel with) {
        assertFalse(without.has(s), without + " lacks " + s);
        assertTrue(with.has(s), with + " has " + s);
    }

    /** A node that SNATs (or masquerades) pod traffic leaving by eth0 with {@code rule} (matches and target). */
    private static NodeDatapath node(Kernel k, String rule) {
        Ruleset rules = IptablesRestore.parse(
                "*nat\n:POSTROUTING ACCEPT [0:0]\n" + "-A POSTROUTING -s 10.244.0.0/16 -o eth0 " + rule + "\nCOMMIT\n");
        return new NodeDatapath(
                new Conntrack(k, Sysctls.defaults(k), 1),
                rules,
                List.of(new NetInterface("eth0", NODE), new NetInterface("cni0", Ip4.parse("10.244.1.1"))),
                List.of(new Route(Cidr.parse("10.244.1.0/24"), "cni0"), new Route(Cidr.parse("0.0.0.0/0"), "eth0")),
                1);
    }

    private static int pod(int i) {
        return Ip4.parse("10.244.1.10") + i;
    }

    /** N1: up to 4.19.227 successive remaps take successive ports from the TCP rover; from 4.19.228 random ones. */
    @Test
    void roverGivesSuccessivePortsUntil419227() {
        Kernel before = at("4.19.227");
        Kernel after = at("4.19.228");
        boundary(Switch.NAT_PORT_ATTEMPTS, before, after);
        boundary(Switch.NAT_PORT_ATTEMPTS, at("4.14.264"), at("4.14.265"));
        for (Kernel k : new Kernel[] {before, after}) {
            NodeDatapath n = node(k, "-j SNAT --to-source 192.168.1.10");
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                PathResult r = n.receive(NodeFixture.tcp(pod(i), 40000, REMOTE, 80, TcpFlags.SYN, 1, 0, 0), "cni0", i);
                assertTrue(r.accepted());
                ports.add(r.out().srcPort());
            }
            assertEquals(40000, ports.get(0), "the first keeps its port");
            if (k == before) {
                assertEquals(List.of(40000, 1024, 1025, 1026), ports, "the rover walks up from 0");
                // UDP has its own rover, still at 0
                PathResult u = n.receive(Packet.udp(pod(0), REMOTE, new UdpDatagram(40000, 53, 10)), "cni0", 10);
                PathResult u2 = n.receive(Packet.udp(pod(1), REMOTE, new UdpDatagram(40000, 53, 10)), "cni0", 11);
                assertEquals(40000, u.out().srcPort());
                assertEquals(1024, u2.out().srcPort());
            } else {
                assertNotEquals(List.of(40000, 1024, 1025, 1026), ports, "random starts");
                ports.subList(1, 4).forEach(p -> assertTrue(p >= 1024 && p <= 65535, ports::toString));
            }
        }
    }

    /**
     * N1: every port of a 300-port range taken: the rover probes 299 (the last candidate is not
     * tested), the bounded search 128 + 64 + 32 + 16 + 8 = 248 (a round of 16 still halves); either
     * way the clash at confirmation drops the SYN. With one port left free the rover always finds it.
     */
    @Test
    void exhaustedRangeProbes299Or248() {
        for (Kernel k : new Kernel[] {at("4.19.227"), at("4.19.228")}) {
            for (int free : new int[] {-1, 10150}) {
                NodeDatapath n = node(k, "-p tcp -j SNAT --to-source 192.168.1.10:10000-10299");
                for (int p = 10000; p < 10300; p++) {
                    if (p != free) {
                        assertTrue(n.send(NodeFixture.tcp(NODE, p, REMOTE, 80, TcpFlags.SYN, 1, 0, 0), p)
                                .accepted());
                    }
                }
                long found = n.conntrack().stats().found();
                PathResult r = n.receive(NodeFixture.tcp(A, 40000, REMOTE, 80, TcpFlags.SYN, 1, 0, 0), "cni0", 20_000);
                long probes = n.conntrack().stats().found() - found;
                boolean rover = !k.has(Switch.NAT_PORT_ATTEMPTS);
                if (free < 0) {
                    assertEquals(rover ? 299 : 248, probes, k.toString());
                    assertFalse(r.accepted(), "the last candidate clashes at confirmation");
                    assertEquals(1, n.conntrack().stats().insertFailed());
                } else if (rover) {
                    assertTrue(r.accepted());
                    assertEquals(free, r.out().srcPort(), "the exhaustive walk reaches the one free port");
                } else {
                    assertTrue(probes <= 248, "at most 248 probes: " + probes);
                }
            }
        }
    }

    /** N1: up to 4.19.y a taken ICMP echo id is replaced from a static id rover (0, 1, ...); from 5.0 at random. */
    @Test
    void icmpIdRoverUntil50() {
        Kernel before = KernelProfile.V4_19;
        Kernel after = at("5.0");
        boundary(Switch.NAT_ICMP_ID_SEARCH, before, after);
        for (Kernel k : new Kernel[] {before, after}) {
            NodeDatapath n = node(k, "-j MASQUERADE");
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                PathResult r = n.receive(
                        Packet.icmp(pod(i), REMOTE, IcmpMessage.echo(IcmpMessage.ECHO_REQUEST, 77, 1, 56)), "cni0", i);
                assertTrue(r.snat());
                ids.add(r.out().icmp().identifier());
            }
            if (k == before) {
                assertEquals(List.of(77, 0, 1), ids);
            } else {
                assertEquals(77, ids.get(0));
                assertNotEquals(List.of(77, 0, 1), ids);
            }
        }
    }

    /**
     * N1: both ports of a two-port SNAT range held by TIME_WAIT connections: up to 6.5 a new SYN
     * clashes and is dropped; from 6.6 the last probes evict a TIME_WAIT entry whose sequence the
     * new SYN has passed and reuse its port (a SYN behind it still clashes).
     */
    @Test
    void timeWaitEvictedFrom66() {
        Kernel before = KernelProfile.V6_1;
        Kernel after = at("6.6");
        boundary(Switch.NAT_EVICT_TIME_WAIT, before, after);
        for (Kernel k : new Kernel[] {before, after}) {
            for (int seq : new int[] {5_000_000, 10}) {
                NodeDatapath n = node(k, "-p tcp -j SNAT --to-source 192.168.1.10:5000-5001");
                long[] now = {1000 * MS};
                int[] held = {toTimeWait(n, pod(0), now), toTimeWait(n, pod(1), now)};
                assertEquals(Set.of(5000, 5001), Set.of(held[0], held[1]));
                assertEquals(2, n.conntrack().count());
                PathResult syn =
                        n.receive(NodeFixture.tcp(pod(2), 40000, REMOTE, 80, TcpFlags.SYN, seq, 0, 0), "cni0", now[0]);
                boolean evicts = k == after && seq > 1000;
                assertEquals(evicts, syn.accepted(), k + " seq " + seq);
                if (evicts) {
                    assertTrue(syn.out().srcPort() == 5000 || syn.out().srcPort() == 5001);
                    assertEquals(2, n.conntrack().count(), "one TIME_WAIT entry gave way to the new one");
                } else {
                    assertEquals(1, n.conntrack().stats().insertFailed());
                }
            }
        }
    }

    /** Handshake and close through the node; returns the SNAT port the connection holds in TIME_WAIT. */
    private static int toTimeWait(NodeDatapath n, int client, long[] now) {
        PathResult syn = n.receive(NodeFixture.tcp(client, 40000, REMOTE, 80, TcpFlags.SYN, 100, 0, 0), "cni0", now[0]);
        assertTrue(syn.accepted());
        int port = syn.out().srcPort();
        int fa = TcpFlags.FIN | TcpFlags.ACK;
        n.receive(NodeFixture.tcp(REMOTE, 80, NODE, port, TcpFlags.SYN | TcpFlags.ACK, 900, 101, 0), "eth0", tick(now));
        n.receive(NodeFixture.tcp(client, 40000, REMOTE, 80, TcpFlags.ACK, 101, 901, 0), "cni0", tick(now));
        n.receive(NodeFixture.tcp(client, 40000, REMOTE, 80, fa, 101, 901, 0), "cni0", tick(now));
        n.receive(NodeFixture.tcp(REMOTE, 80, NODE, port, fa, 901, 102, 0), "eth0", tick(now));
        PathResult last =
                n.receive(NodeFixture.tcp(client, 40000, REMOTE, 80, TcpFlags.ACK, 102, 902, 0), "cni0", tick(now));
        assertEquals(TcpState.TIME_WAIT, n.conntrack().tcpState(last.ct().entry()));
        return port;
    }

    private static long tick(long[] now) {
        now[0] += MS;
        return now[0];
    }

    /**
     * N1: both ends of an un-NATed UDP flow send their first packet at once. Up to 6.6.56 the
     * second entry's null binding finds its tuple taken and rewrites the answering side's source
     * port; from 6.6.57 {@code nf_nat_used_tuple_new()} sees the same flow reversed and keeps it.
     */
    @Test
    void reverseRaceKeepsItsPortFrom6657() {
        Kernel before = at("6.6.56");
        Kernel after = at("6.6.57");
        boundary(Switch.NAT_USED_TUPLE_NEW, before, after);
        for (Kernel k : new Kernel[] {before, after, KernelProfile.V6_18}) {
            Conntrack ct = new Conntrack(k, Sysctls.defaults(k), 1);
            NatCore nat = new NatCore(ct, new SplittableRandom(1), device -> 0);
            long now = 1000 * MS;
            nat.now(now);
            CtResult query = ct.in(Packet.udp(A, B, new UdpDatagram(5000, 53, 20)), true, now);
            CtResult answer = ct.in(Packet.udp(B, A, new UdpDatagram(53, 5000, 20)), true, now);
            assertEquals(CtState.NEW, answer.state(), "both unconfirmed: the race");
            nat.allocNullBinding(query.entry(), NatManip.SRC, Hook.POSTROUTING, null);
            assertTrue(ct.confirm(query.entry(), now));
            nat.allocNullBinding(answer.entry(), NatManip.SRC, Hook.POSTROUTING, null);
            Tuple reply = ct.tuple(answer.entry(), CtDir.REPLY);
            boolean remapped = (ct.status(answer.entry()) & Status.SRC_NAT) != 0;
            int confirmed = ct.confirmEntry(answer.entry(), now);
            if (k == before) {
                assertTrue(remapped, "6.6.56 moves the answer's source port");
                assertNotEquals(53, reply.dstPort());
                assertTrue(reply.dstPort() >= 1 && reply.dstPort() <= 511, "a port under 512 stays under 512");
                assertEquals(answer.entry(), confirmed, "a tuple of its own: inserted");
            } else {
                assertFalse(remapped, k.toString());
                assertEquals(new Tuple(Protocol.UDP, A, 5000, B, 53), reply);
                if (k.has(Switch.CLASH_MERGE_REVERSE)) {
                    assertEquals(query.entry(), confirmed, k + ": nf_ct_match_reverse() merges");
                } else {
                    // 6.6.57-6.6.y: the winner carries NAT_DONE bits and is not the same tuple: dropped
                    assertEquals(Conntrack.NO_ENTRY, confirmed, k.toString());
                    assertEquals(1, ct.stats().drop());
                }
            }
        }
    }

    /** N1: a DNAT port range starts at a random offset up to 6.6 and at its minimum from 6.12. */
    @Test
    void dnatRangeFromItsMinimumFrom612() {
        Kernel before = KernelProfile.V6_6;
        Kernel after = KernelProfile.V6_12;
        boundary(Switch.NAT_DNAT_FROM_MIN, before, after);
        for (Kernel k : new Kernel[] {before, after}) {
            for (boolean random : new boolean[] {false, true}) {
                Conntrack ct = new Conntrack(k, Sysctls.defaults(k), 1);
                NatCore nat = new NatCore(ct, new SplittableRandom(3), device -> 0);
                Set<Integer> ports = new HashSet<>();
                for (int i = 0; i < 20; i++) {
                    long now = (1000 + i) * MS;
                    nat.now(now);
                    CtResult syn = ct.in(
                            NodeFixture.tcp(pod(i), 40000, NodeFixture.VIP, 80, TcpFlags.SYN, 1, 0, 0), true, now);
                    assertTrue(nat.setupInfo(
                            syn.entry(),
                            new NatRange(B, 8080, 8089, true, random),
                            NatManip.DST,
                            Hook.PREROUTING,
                            null));
                    assertTrue(ct.confirm(syn.entry(), now));
                    ports.add(ct.tuple(syn.entry(), CtDir.REPLY).srcPort());
                }
                ports.forEach(p -> assertTrue(p >= 8080 && p <= 8089, ports::toString));
                if (k == after && !random) {
                    assertEquals(Set.of(8080), ports, "6.12: every search starts at the minimum");
                } else {
                    assertTrue(ports.size() > 3, k + " random=" + random + ": " + ports);
                }
            }
        }
    }
}
