package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.OtherTransport;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.UdpDatagram;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** UDP, ICMP (queries and RELATED errors), generic protocols, the table limit and confirmation. */
class UdpIcmpTableTest {

    private static final long S = Flow.SECOND;
    private static final int A = Ip4.parse("10.0.0.1");
    private static final int B = Ip4.parse("10.0.0.2");
    private static final int ROUTER = Ip4.parse("10.0.0.254");

    static Stream<KernelProfile> kernels() {
        return Stream.of(KernelProfile.V4_19, KernelProfile.V6_18);
    }

    private static CtResult in(Conntrack ct, Packet p, long now) {
        CtResult r = ct.in(p, true, now);
        if (r.state() == CtState.NEW && (ct.status(r.entry()) & Status.CONFIRMED) == 0) {
            assertTrue(ct.confirm(r.entry(), now));
        }
        return r;
    }

    private static Packet udp(int src, int dst, int sport, int dport) {
        return Packet.udp(src, dst, new UdpDatagram(sport, dport, 20));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void udpTimeoutsAndAssured(KernelProfile k) {
        Conntrack ct = new Conntrack(k, Sysctls.defaults(k), 1);
        long t = 100 * S;
        CtResult first = in(ct, udp(A, B, 5000, 53), t);
        assertEquals(CtState.NEW, first.state());
        assertEquals(30, ct.timeoutSeconds(first.entry(), t));
        assertEquals(CtState.NEW, in(ct, udp(A, B, 5000, 53), t).state(), "no reply yet");
        CtResult reply = in(ct, udp(B, A, 53, 5000), t);
        assertEquals(CtState.ESTABLISHED, reply.state());
        assertEquals(CtDir.REPLY, reply.dir());
        assertEquals(30, ct.timeoutSeconds(reply.entry(), t), "SEEN_REPLY is set only after the first reply");
        int e = reply.entry();
        CtResult next = in(ct, udp(A, B, 5000, 53), t + S);
        assertEquals(CtState.ESTABLISHED, next.state());
        if (k == KernelProfile.V4_19) {
            assertTrue((ct.status(e) & Status.ASSURED) != 0);
            assertEquals(180, ct.timeoutSeconds(e, t + S));
        } else {
            assertEquals(0, ct.status(e) & Status.ASSURED, "6.x: a stream only after two seconds");
            assertEquals(30, ct.timeoutSeconds(e, t + S));
            in(ct, udp(A, B, 5000, 53), t + 3 * S);
            assertTrue((ct.status(e) & Status.ASSURED) != 0);
            assertEquals(120, ct.timeoutSeconds(e, t + 3 * S));
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void udpBadChecksum(KernelProfile k) {
        Conntrack ct = new Conntrack(k, Sysctls.defaults(k), 1);
        CtResult r = ct.in(udp(A, B, 1, 2), false, 0);
        assertEquals(CtState.INVALID, r.state());
        assertEquals("bad checksum", r.reason());
        // up to 4.19 udp_error() ran before the lookup and counted error and invalid; 5.0+ invalid only
        assertEquals(k == KernelProfile.V4_19 ? 1 : 0, ct.stats().error());
        assertEquals(1, ct.stats().invalid());
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void icmpEchoIsTracked(KernelProfile k) {
        Conntrack ct = new Conntrack(k, Sysctls.defaults(k), 1);
        CtResult req = in(ct, Packet.icmp(A, B, IcmpMessage.echo(IcmpMessage.ECHO_REQUEST, 77, 1, 56)), 0);
        assertEquals(CtState.NEW, req.state());
        assertEquals(30, ct.timeoutSeconds(req.entry(), 0));
        CtResult rep = in(ct, Packet.icmp(B, A, IcmpMessage.echo(IcmpMessage.ECHO_REPLY, 77, 1, 56)), S);
        assertEquals(CtState.ESTABLISHED, rep.state());
        assertEquals(CtDir.REPLY, rep.dir());
        assertEquals(req.entry(), rep.entry());
        assertNull(ct.tcpState(req.entry()));

        CtResult orphan = ct.in(Packet.icmp(B, A, IcmpMessage.echo(IcmpMessage.ECHO_REPLY, 99, 1, 56)), true, S);
        assertEquals(CtState.INVALID, orphan.state(), "a reply without request cannot create a conntrack");
        CtResult late = ct.in(Packet.icmp(B, A, IcmpMessage.echo(IcmpMessage.ECHO_REPLY, 77, 2, 56)), true, 40 * S);
        assertEquals(CtState.INVALID, late.state(), "the request's entry expired after 30 s");
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void icmpErrorsAreRelatedInBothDirections(KernelProfile k) {
        Flow f = new Flow(k).handshake(1000, 5000, true);
        Packet clientSegment = Packet.tcp(
                f.clientIp,
                f.serverIp,
                new TcpSegment(f.clientPort, f.serverPort, 1001, 5001, Flow.ACK, 502, 0, TcpOptions.NONE, 0));
        Packet toClient =
                Packet.icmp(ROUTER, f.clientIp, IcmpMessage.error(IcmpMessage.DEST_UNREACH, 4, 1400, clientSegment));
        CtResult r1 = f.ct.in(toClient, true, f.now);
        assertEquals(CtState.RELATED, r1.state());
        assertEquals(CtDir.REPLY, r1.dir(), "the inverted inner tuple is the entry's REPLY tuple");
        assertEquals(f.entry, r1.entry());

        Packet serverSegment = Packet.tcp(
                f.serverIp,
                f.clientIp,
                new TcpSegment(f.serverPort, f.clientPort, 5001, 1001, Flow.ACK, 509, 0, TcpOptions.NONE, 0));
        for (int type : new int[] {
            IcmpMessage.TIME_EXCEEDED,
            IcmpMessage.PARAMETER_PROBLEM,
            IcmpMessage.SOURCE_QUENCH,
            IcmpMessage.REDIRECT,
            IcmpMessage.DEST_UNREACH
        }) {
            CtResult r2 =
                    f.ct.in(Packet.icmp(ROUTER, f.serverIp, IcmpMessage.error(type, 0, 0, serverSegment)), true, f.now);
            assertEquals(CtState.RELATED, r2.state(), "type " + type);
            assertEquals(CtDir.ORIGINAL, r2.dir());
        }
        Packet stranger =
                Packet.tcp(f.clientIp, f.serverIp, new TcpSegment(1, 2, 0, 0, Flow.ACK, 0, 0, TcpOptions.NONE, 0));
        assertEquals(
                CtState.INVALID,
                f.ct.in(
                                Packet.icmp(
                                        ROUTER,
                                        f.clientIp,
                                        IcmpMessage.error(IcmpMessage.DEST_UNREACH, 3, 0, stranger)),
                                true,
                                f.now)
                        .state());

        CtResult misdirected = f.ct.in(
                Packet.icmp(ROUTER, ROUTER, IcmpMessage.error(IcmpMessage.DEST_UNREACH, 4, 1400, clientSegment)),
                true,
                f.now);
        if (k == KernelProfile.V4_19) {
            assertEquals(CtState.RELATED, misdirected.state());
        } else {
            assertEquals(CtState.INVALID, misdirected.state());
            assertEquals("outer daddr 10.0.0.254 != inner 10.244.1.5", misdirected.reason());
        }
        assertEquals(TcpState.ESTABLISHED, f.state());
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void genericProtocolIsTrackedFor600Seconds(KernelProfile k) {
        Conntrack ct = new Conntrack(k, Sysctls.defaults(k), 1);
        CtResult gre = in(ct, new Packet(A, B, 0, 0, 64, new OtherTransport(47, 100)), 0);
        assertEquals(CtState.NEW, gre.state());
        assertEquals(600, ct.timeoutSeconds(gre.entry(), 0));
        assertEquals(
                CtState.ESTABLISHED,
                in(ct, new Packet(B, A, 0, 0, 64, new OtherTransport(47, 100)), S)
                        .state());
    }

    private static CtResult syn(Conntrack ct, int port, long now) {
        return ct.in(
                Packet.tcp(A, B, new TcpSegment(port, 80, 1000, 0, Flow.SYN, 100, 0, TcpOptions.NONE, 0)), true, now);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void tableFullDropsWhenEverythingIsAssured(KernelProfile k) {
        Sysctls s = Sysctls.defaults(k).with("net.netfilter.nf_conntrack_max", "3");
        Conntrack ct = new Conntrack(k, s, 7);
        for (int i = 0; i < 3; i++) {
            Flow.handshakeOn(ct, A, B, 30000 + i, 80, 0);
        }
        assertEquals(3, ct.count());
        CtResult r = syn(ct, 40000, 0);
        assertEquals(CtResult.Verdict.DROP, r.verdict());
        assertEquals(CtState.INVALID, r.state());
        assertEquals("nf_conntrack: table full, dropping packet", r.reason());
        assertEquals(1, ct.stats().drop());
        assertEquals(0, ct.stats().earlyDrop());
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void earlyDropEvictsOnlyUnassuredEntries(KernelProfile k) {
        // 8 buckets: early_drop()'s NF_CT_EVICTION_RANGE covers the whole table
        Sysctls s = Sysctls.defaults(k)
                .with("net.netfilter.nf_conntrack_max", "6")
                .with("net.netfilter.nf_conntrack_buckets", "8");
        Conntrack ct = new Conntrack(k, s, 7);
        for (int i = 0; i < 3; i++) {
            Flow.handshakeOn(ct, A, B, 30000 + i, 80, 0);
        }
        for (int i = 0; i < 3; i++) {
            assertTrue(ct.confirm(syn(ct, 31000 + i, 0).entry(), 0));
        }
        int accepted = 0;
        for (int i = 0; i < 40; i++) {
            CtResult r = syn(ct, 41000 + i, 0);
            if (r.verdict() == CtResult.Verdict.ACCEPT) {
                assertTrue(ct.confirm(r.entry(), 0));
                accepted++;
            }
            assertTrue(ct.count() <= 6);
        }
        assertTrue(accepted > 0, "some new connection found a non-ASSURED entry to evict");
        // every non-ASSURED entry of the first bucket that has one goes, so at least one per accept
        assertTrue(
                ct.stats().earlyDrop() >= accepted, "early_drop " + ct.stats().earlyDrop());
        long assured = ct.list(0).stream().filter(ConnSnapshot::assured).count();
        assertEquals(3, assured, "ASSURED entries are never early-dropped");
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void confirmClashDiscardsTheSecondEntry(KernelProfile k) {
        Conntrack ct = new Conntrack(k, Sysctls.defaults(k), 3);
        CtResult a = syn(ct, 1234, 0);
        CtResult b = syn(ct, 1234, 0);
        assertTrue(ct.confirm(a.entry(), 0));
        assertFalse(ct.confirm(b.entry(), 0));
        assertEquals(1, ct.stats().insertFailed());
        assertEquals(1, ct.count());
        assertFalse(ct.alive(b.entry()));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void unconfirmedEntriesAreInvisibleAndNatCanAlterTheReply(KernelProfile k) {
        Conntrack ct = new Conntrack(k, Sysctls.defaults(k), 3);
        CtResult a = syn(ct, 1234, 0);
        Tuple original = ct.tuple(a.entry(), CtDir.ORIGINAL);
        assertEquals(Conntrack.NO_ENTRY, ct.find(original, 0));
        int pod = Ip4.parse("10.244.3.3");
        Tuple reply = new Tuple(io.kpsim.packet.Protocol.TCP, pod, 8080, A, 1234);
        ct.alterReply(a.entry(), reply);
        ct.setStatus(a.entry(), Status.DST_NAT);
        assertFalse(ct.natLookup().tupleTaken(reply, Conntrack.NO_ENTRY, 0));
        assertTrue(ct.confirm(a.entry(), 0));
        assertEquals(a.entry(), ct.find(original, 0));
        assertEquals(a.entry(), ct.find(reply, 0));
        assertTrue(ct.natLookup().tupleTaken(reply, Conntrack.NO_ENTRY, 0));
        assertFalse(ct.natLookup().tupleTaken(reply, a.entry(), 0));
        CtResult synAck = ct.in(
                Packet.tcp(pod, A, new TcpSegment(8080, 1234, 7000, 1001, Flow.SYNACK, 100, 0, TcpOptions.NONE, 0)),
                true,
                0);
        assertEquals(CtState.ESTABLISHED, synAck.state());
        assertEquals(CtDir.REPLY, synAck.dir());
        assertTrue((ct.status(a.entry()) & Status.DST_NAT) != 0);
        assertTrue(ct.list(0).get(0).conntrackLine().contains("src=10.244.3.3 dst=10.0.0.1 sport=8080 dport=1234"));
    }
}
