package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.TcpOptions;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RST validation, pickup, retransmissions, reopen, simultaneous open and timeouts. */
class TcpRstAndLifecycleTest {

    static Stream<KernelProfile> kernels() {
        return Stream.of(KernelProfile.V4_19, KernelProfile.V6_18);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void rstWithExactSequenceCloses(KernelProfile k) {
        Flow f = new Flow(k).handshake(1000, 5000, true);
        CtResult r = f.server(Flow.RSTACK, f.sSeq, f.cSeq);
        assertEquals(CtState.ESTABLISHED, r.state());
        assertEquals(TcpState.CLOSE, f.state());
        assertEquals(10, f.ct.timeoutSeconds(f.entry, f.now));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void inWindowRstWithInexactSequenceKeepsEstablishedButShortensTimeout(KernelProfile k) {
        Flow f = new Flow(k).handshake(1000, 5000, true);
        CtResult r = f.server(Flow.RST, f.sSeq + 10, 0);
        assertEquals(CtState.ESTABLISHED, r.state());
        assertNull(r.reason());
        assertEquals(TcpState.ESTABLISHED, f.state());
        assertEquals(10, f.ct.timeoutSeconds(f.entry, f.now));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void rstBelowTheReceiversMaxAckIsInvalid(KernelProfile k) {
        Flow f = new Flow(k).handshake(1000, 5000, true);
        f.server(Flow.PSHACK, f.sSeq, f.cSeq, 509, 100, TcpOptions.NONE);
        f.client(Flow.ACK, f.cSeq, f.sSeq + 100);
        CtResult r = f.server(Flow.RST, f.sSeq + 50, 0);
        assertEquals(CtState.INVALID, r.state());
        assertEquals("invalid rst", r.reason());
        assertEquals(TcpState.ESTABLISHED, f.state());
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void ignoreInvalidRstExistsOnlyOn6x(KernelProfile k) {
        String name = "net.netfilter.nf_conntrack_tcp_ignore_invalid_rst";
        if (k == KernelProfile.V4_19) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> Sysctls.defaults(k).with(name, "1"));
            assertEquals("sysctl " + name + " does not exist on kernel 4.19", e.getMessage());
            return;
        }
        Flow f = Flow.of(k, name + "=1").handshake(1000, 5000, true);
        f.server(Flow.PSHACK, f.sSeq, f.cSeq, 509, 100, TcpOptions.NONE);
        f.client(Flow.ACK, f.cSeq, f.sSeq + 100);
        CtResult r = f.server(Flow.RST, f.sSeq + 50, 0);
        assertEquals(CtState.ESTABLISHED, r.state(), "not INVALID: the td_maxack check is off");
        assertEquals(TcpState.ESTABLISHED, f.state(), "inexact: state kept for a challenge ACK");
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void outOfWindowRstIsInvalidEvenThoughAboveMaxAck(KernelProfile k) {
        Flow f = new Flow(k).handshake(1000, 5000, true);
        int maxEnd = f.ct.store().tdMaxEnd(2 * f.entry + 1);
        CtResult r = f.server(Flow.RST, maxEnd + 10_000_000, 0);
        assertEquals(CtState.INVALID, r.state());
        assertTrue(
                r.reason()
                        .startsWith(
                                k == KernelProfile.V4_19 ? "SEQ is over the upper bound" : "SEQ is over upper bound"),
                r.reason());
        assertEquals(TcpState.ESTABLISHED, f.state());
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void rstInSynSentWithRightAckKillsTheEntry(KernelProfile k) {
        Flow f = new Flow(k);
        f.client(Flow.SYN, 1000, 0);
        int entry = f.entry;
        CtResult r = f.server(Flow.RSTACK, 0, 1001);
        assertEquals(CtState.ESTABLISHED, r.state());
        assertEquals(CtDir.REPLY, r.dir());
        assertFalse(f.ct.alive(entry), "If only reply is a RST ... delete the conntrack immediately");
        assertEquals(Conntrack.NO_ENTRY, f.ct.find(f.ct.tuple(entry, CtDir.ORIGINAL), f.now));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void rstInSynSentWithWrongAck(KernelProfile k) {
        Flow f = new Flow(k);
        f.client(Flow.SYN, 1_000_000, 0);
        CtResult r = f.server(Flow.RSTACK, 0, 5);
        if (k == KernelProfile.V4_19) {
            assertEquals(CtState.INVALID, r.state());
            assertEquals("ACK is under the lower bound (possible overly delayed ACK)", r.reason());
        } else {
            assertTrue(r.ignored(), "measured on 6.18: the bogus RST is ignored");
        }
        assertTrue(f.ct.alive(f.entry));
        assertEquals(TcpState.SYN_SENT, f.state());

        Flow liberal = Flow.of(k, "net.netfilter.nf_conntrack_tcp_be_liberal=1");
        liberal.client(Flow.SYN, 1_000_000, 0);
        liberal.server(Flow.RSTACK, 0, 5);
        assertFalse(liberal.ct.alive(liberal.entry), "with be_liberal the same RST closes the entry");
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void loosePickupBothDirectionsLiberal(KernelProfile k) {
        Flow f = new Flow(k);
        CtResult first = f.client(Flow.PSHACK, 77_000, 9_000, 502, 100, TcpOptions.NONE);
        assertEquals(CtState.NEW, first.state());
        assertEquals(TcpState.ESTABLISHED, f.state());
        assertEquals(300, f.ct.timeoutSeconds(f.entry, f.now), "no reply yet: capped at UNACK");
        CtResult reply = f.server(Flow.ACK, 9_000, 77_100);
        assertEquals(CtState.ESTABLISHED, reply.state());
        assertEquals(0, f.ct.status(f.entry) & Status.ASSURED);
        CtResult wild = f.client(Flow.ACK, 77_100 + 50_000_000, 9_000);
        assertEquals(CtState.ESTABLISHED, wild.state(), "picked-up flows accept wild seq/ack");
        assertNull(wild.reason());
        assertTrue((f.ct.status(f.entry) & Status.ASSURED) != 0);

        Flow strict = Flow.of(k, "net.netfilter.nf_conntrack_tcp_loose=0");
        CtResult refused = strict.client(Flow.PSHACK, 77_000, 9_000, 502, 100, TcpOptions.NONE);
        assertEquals(CtState.INVALID, refused.state());
        assertNull(refused.reason(), "the kernel does not log a refused pickup");
        assertEquals(0, strict.ct.count());
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void lonePacketsThatCannotCreateAConnection(KernelProfile k) {
        Flow f = new Flow(k);
        for (int flags : new int[] {Flow.RST, Flow.RSTACK, Flow.FINACK, Flow.SYNACK}) {
            CtResult r = f.client(flags, 1, 2);
            assertEquals(CtState.INVALID, r.state());
            // "invalid new" is a pr_debug() before 6.12: refused silently on 4.19
            assertEquals(k == KernelProfile.V4_19 ? null : "invalid new", r.reason());
        }
        assertEquals(0, f.ct.count());
        CtResult bad = f.client(io.kpsim.packet.TcpFlags.SYN | io.kpsim.packet.TcpFlags.FIN, 1, 0);
        assertEquals("invalid tcp flag combination", bad.reason());
        assertEquals(
                CtState.NEW,
                f.client(
                                io.kpsim.packet.TcpFlags.SYN
                                        | io.kpsim.packet.TcpFlags.URG
                                        | io.kpsim.packet.TcpFlags.PSH
                                        | io.kpsim.packet.TcpFlags.ECE
                                        | io.kpsim.packet.TcpFlags.CWR,
                                1,
                                0)
                        .state(),
                "SYN+URG, PSH, ECE, CWR is a valid SYN");
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void badChecksumOnlyWhenChecksumSysctlOn(KernelProfile k) {
        Flow f = new Flow(k);
        CtResult r = f.ct.in(
                io.kpsim.packet.Packet.tcp(
                        f.clientIp,
                        f.serverIp,
                        new io.kpsim.packet.TcpSegment(1, 2, 3, 0, Flow.SYN, 100, 0, TcpOptions.NONE, 0)),
                false,
                f.now);
        assertEquals(CtState.INVALID, r.state());
        assertEquals("bad checksum", r.reason());
        Flow off = Flow.of(k, "net.netfilter.nf_conntrack_checksum=0");
        assertEquals(
                CtState.NEW,
                off.ct
                        .in(
                                io.kpsim.packet.Packet.tcp(
                                        f.clientIp,
                                        f.serverIp,
                                        new io.kpsim.packet.TcpSegment(
                                                1, 2, 3, 0, Flow.SYN, 100, 0, TcpOptions.NONE, 0)),
                                false,
                                f.now)
                        .state());
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void maxRetransShortensTheTimeout(KernelProfile k) {
        for (int maxRetrans : new int[] {3, 5}) {
            Flow f = Flow.of(k, "net.netfilter.nf_conntrack_tcp_max_retrans=" + maxRetrans)
                    .handshake(1000, 5000, true);
            assertEquals(432000, f.ct.timeoutSeconds(f.entry, f.now));
            for (int i = 1; i <= maxRetrans; i++) {
                f.client(Flow.ACK, 1001, 5001, 502, 0, TcpOptions.NONE); // identical to the handshake ACK
                assertEquals(i < maxRetrans ? 432000 : 300, f.ct.timeoutSeconds(f.entry, f.now), "repeat " + i);
            }
            f.client(Flow.ACK, 1001, 5001, 503, 0, TcpOptions.NONE);
            assertEquals(432000, f.ct.timeoutSeconds(f.entry, f.now), "a different segment resets the count");
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void timeWaitReopenKillsAndCreatesANewEntry(KernelProfile k) {
        Flow f = new Flow(k);
        TcpStateTableTest.driveTo(f, TcpState.TIME_WAIT.ordinal());
        int old = f.entry;
        CtResult r = f.client(Flow.SYN, 90_000, 0);
        assertEquals(CtState.NEW, r.state());
        assertNotEquals(old, r.entry());
        assertFalse(f.ct.alive(old));
        assertEquals(TcpState.SYN_SENT, f.state());
        assertEquals(1, f.ct.count());
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void serverSynInTimeWaitCreatesAReverseEntry(KernelProfile k) {
        Flow f = new Flow(k);
        TcpStateTableTest.driveTo(f, TcpState.TIME_WAIT.ordinal());
        CtResult r = f.server(Flow.SYN, 70_000, 0);
        assertEquals(CtState.NEW, r.state());
        assertEquals(CtDir.ORIGINAL, r.dir());
        assertEquals(f.serverIp, f.ct.tuple(r.entry(), CtDir.ORIGINAL).srcIp());
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void simultaneousOpen(KernelProfile k) {
        Flow f = new Flow(k);
        f.client(Flow.SYN, 1000, 0);
        assertEquals(CtState.ESTABLISHED, f.server(Flow.SYN, 5000, 0).state());
        assertEquals(TcpState.SYN_SENT2, f.state());
        f.client(Flow.SYNACK, 1000, 5001);
        assertEquals(TcpState.SYN_RECV, f.state());
        assertTrue(f.server(Flow.SYNACK, 5000, 1001).ignored(), "retransmitted SYN/ACK in SYN_RECV");
        f.server(Flow.ACK, 5001, 1001);
        assertEquals(TcpState.ESTABLISHED, f.state(), "reply ACK with SIMULTANEOUS_OPEN completes it");
        f.client(Flow.ACK, 1001, 5001);
        assertTrue((f.ct.status(f.entry) & Status.ASSURED) != 0);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void synRetransmitRenewsTimeoutOnlyOn419(KernelProfile k) {
        Flow f = new Flow(k);
        f.client(Flow.SYN, 1000, 0);
        f.advance(100 * Flow.SECOND);
        f.client(Flow.SYN, 1000, 0);
        assertEquals(k == KernelProfile.V4_19 ? 120 : 20, f.ct.timeoutSeconds(f.entry, f.now));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void expiredEntriesAreGoneAndTheirTupleReusable(KernelProfile k) {
        Flow f = new Flow(k);
        f.client(Flow.SYN, 1000, 0);
        Tuple t = f.ct.tuple(f.entry, CtDir.ORIGINAL);
        f.advance(119 * Flow.SECOND);
        assertEquals(f.entry, f.ct.find(t, f.now));
        f.advance(Flow.SECOND);
        assertEquals(Conntrack.NO_ENTRY, f.ct.find(t, f.now));
        CtResult again = f.client(Flow.SYN, 2000, 0);
        assertEquals(CtState.NEW, again.state());
        assertEquals(1, f.ct.list(f.now).size());
        assertEquals(120, f.ct.list(f.now).get(0).timeoutSeconds());
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void challengeAckInLastAckIsIgnored(KernelProfile k) {
        Flow f = new Flow(k);
        TcpStateTableTest.driveTo(f, TcpState.LAST_ACK.ordinal());
        assertTrue(f.client(Flow.SYN, 80_000, 0).ignored(), "SYN in LAST_ACK is ignored and annotated");
        CtResult challenge = f.server(Flow.ACK, 5002, 1002);
        assertTrue(challenge.ignored());
        assertEquals("challenge-ack ignored", challenge.reason());
        assertEquals(TcpState.LAST_ACK, f.state());
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void synAckAnsweringAnIgnoredSynResyncs(KernelProfile k) {
        Flow f = new Flow(k).handshake(1000, 5000, true);
        CtResult syn = f.client(Flow.SYN, 900_000, 0, 64240, 0, TcpOptions.syn(1460, 7, true));
        assertTrue(syn.ignored());
        assertEquals(
                k == KernelProfile.V4_19
                        ? "invalid packet ignored in state ESTABLISHED "
                        : "packet (index 0) in dir 0 ignored, state ESTABLISHED",
                syn.reason());
        CtResult synAck = f.server(Flow.SYNACK, 700_000, 900_001, 65160, 0, TcpOptions.syn(1460, 7, true));
        assertFalse(synAck.ignored(), synAck.toString());
        assertEquals(TcpState.SYN_RECV, f.state());
        f.client(Flow.ACK, 900_001, 700_001);
        assertEquals(TcpState.ESTABLISHED, f.state());
    }
}
