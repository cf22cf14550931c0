package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.SackBlock;
import io.kpsim.packet.TcpOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code tcp_in_window()} at its four bounds: exactly at the edge, one inside, one beyond, with
 * and without window scaling, with ISNs that make the windows wrap past 2^32, for both kernels.
 */
class TcpWindowTest {

    private static final int LOW_CLIENT = 1000;
    private static final int LOW_SERVER = 5000;
    private static final int WRAP_CLIENT = 0xFFFF_FF00;
    private static final int WRAP_SERVER = 0xFFFF_FFF0;

    static Stream<Arguments> variants() {
        List<Arguments> out = new ArrayList<>();
        for (KernelProfile k : List.of(KernelProfile.V4_19, KernelProfile.V6_18)) {
            for (boolean scale : new boolean[] {false, true}) {
                for (boolean wrap : new boolean[] {false, true}) {
                    out.add(Arguments.of(k, scale, wrap));
                }
            }
        }
        return out.stream();
    }

    private static Flow established(KernelProfile k, boolean scale, boolean wrap) {
        Flow f = new Flow(k);
        return f.handshake(wrap ? WRAP_CLIENT : LOW_CLIENT, wrap ? WRAP_SERVER : LOW_SERVER, scale);
    }

    private static int serverMaxEnd(Flow f) {
        return f.ct.store().tdMaxEnd(TupleHashRef.reply(f.entry));
    }

    private static int clientMaxWin(Flow f) {
        return f.ct.store().tdMaxWin(TupleHashRef.original(f.entry));
    }

    private static CtResult serverData(Flow f, int seq, int len) {
        return f.server(Flow.PSHACK, seq, f.cSeq, 509, len, TcpOptions.NONE);
    }

    @ParameterizedTest(name = "{0} scale={1} wrap={2}")
    @MethodSource("variants")
    void upperBoundSeqEdge(KernelProfile k, boolean scale, boolean wrap) {
        Flow f = established(k, scale, wrap);
        int maxEnd = serverMaxEnd(f);
        assertEquals(f.sSeq + (scale ? 502 << 7 : 65535), maxEnd, "td_maxend = ack + scaled window");
        CtResult atEdge = serverData(f, maxEnd, 0);
        assertEquals(CtState.ESTABLISHED, atEdge.state());
        assertFalse(atEdge.ignored());
        assertNull(atEdge.reason());

        Flow g = established(k, scale, wrap);
        CtResult inside = serverData(g, serverMaxEnd(g) - 1, 1);
        assertEquals(CtState.ESTABLISHED, inside.state());
        assertNull(inside.reason());

        Flow h = established(k, scale, wrap);
        CtResult beyond = serverData(h, serverMaxEnd(h) + 1, 100);
        if (k == KernelProfile.V4_19) {
            assertEquals(CtState.INVALID, beyond.state());
            assertEquals("SEQ is over the upper bound (over the window of the receiver)", beyond.reason());
        } else {
            assertEquals(CtState.ESTABLISHED, beyond.state());
            assertTrue(beyond.ignored());
            assertEquals("102 bytes more than expected", beyond.reason());
        }
    }

    @ParameterizedTest(name = "{0} scale={1} wrap={2}")
    @MethodSource("variants")
    void overshootAllowanceIsTheReceiversMaxWindowOn6x(KernelProfile k, boolean scale, boolean wrap) {
        Flow f = established(k, scale, wrap);
        int maxWin = clientMaxWin(f);
        int maxEnd = serverMaxEnd(f);
        // overshot = end - td_maxend + 1 with end = seq + len
        CtResult exact = serverData(f, maxEnd + 1, maxWin - 2);
        Flow g = established(k, scale, wrap);
        CtResult oneMore = serverData(g, maxEnd + 1, maxWin - 1);
        assertEquals(CtState.INVALID, oneMore.state());
        if (k == KernelProfile.V4_19) {
            assertEquals(CtState.INVALID, exact.state());
            assertEquals("SEQ is over the upper bound (over the window of the receiver)", oneMore.reason());
        } else {
            assertTrue(exact.ignored());
            assertEquals(Integer.toUnsignedString(maxWin) + " bytes more than expected", exact.reason());
            assertEquals(
                    "SEQ is over upper bound " + Integer.toUnsignedString(maxEnd + 1)
                            + " (over the window of the receiver)",
                    oneMore.reason());
        }
    }

    @ParameterizedTest(name = "{0} scale={1} wrap={2}")
    @MethodSource("variants")
    void blogPacketBeyondUpperBoundByMoreThanMaxWindowIsInvalidOnBoth(KernelProfile k, boolean scale, boolean wrap) {
        Flow f = established(k, scale, wrap);
        CtResult r = serverData(f, serverMaxEnd(f) + clientMaxWin(f) + 1000, 1448);
        assertEquals(CtState.INVALID, r.state());
        assertFalse(r.tracked());
    }

    /** Moves the server's td_end forward by {@code rounds} x 60000 acknowledged bytes. */
    private static void pump(Flow f, int rounds) {
        for (int i = 0; i < rounds; i++) {
            for (int chunk = 0; chunk < 60000; chunk += 1000) {
                assertEquals(CtState.ESTABLISHED, serverData(f, f.sSeq, 1000).state());
                f.sSeq += 1000;
            }
            f.client(Flow.ACK, f.cSeq, f.sSeq, f.clientWindow, 0, TcpOptions.NONE);
        }
    }

    @ParameterizedTest(name = "{0} scale={1} wrap={2}")
    @MethodSource("variants")
    void lowerBoundSeqEdge(KernelProfile k, boolean scale, boolean wrap) {
        Flow f = established(k, scale, wrap);
        pump(f, 3);
        int tdEnd = f.ct.store().tdEnd(TupleHashRef.reply(f.entry));
        assertEquals(f.sSeq, tdEnd);
        int lower = tdEnd - clientMaxWin(f); // end must be >= td_end - receiver.td_maxwin
        CtResult atEdge = serverData(f, lower - 100, 100);
        assertEquals(CtState.ESTABLISHED, atEdge.state());
        assertNull(atEdge.reason());
        CtResult below = serverData(f, lower - 101, 100);
        if (k == KernelProfile.V4_19) {
            assertEquals(CtState.INVALID, below.state());
            assertEquals("SEQ is under the lower bound (already ACKed data retransmitted)", below.reason());
        } else {
            assertEquals(CtState.ESTABLISHED, below.state());
            assertTrue(below.ignored());
            assertEquals(
                    "SEQ is under lower bound " + Integer.toUnsignedString(lower - 1)
                            + " (already ACKed data retransmitted)",
                    below.reason());
        }
    }

    @ParameterizedTest(name = "{0} scale={1} wrap={2}")
    @MethodSource("variants")
    void upperBoundAckEdge(KernelProfile k, boolean scale, boolean wrap) {
        Flow f = established(k, scale, wrap);
        pump(f, 1);
        assertNull(f.client(Flow.ACK, f.cSeq, f.sSeq).reason(), "ack == td_end is fine");
        CtResult over = f.client(Flow.ACK, f.cSeq, f.sSeq + 1);
        assertEquals(CtState.INVALID, over.state());
        assertEquals(
                k == KernelProfile.V4_19
                        ? "ACK is over the upper bound (ACKed data not seen yet)"
                        : "ACK is over upper bound " + Integer.toUnsignedString(f.sSeq + 1)
                                + " (ACKed data not seen yet)",
                over.reason());
    }

    @ParameterizedTest(name = "{0} scale={1} wrap={2}")
    @MethodSource("variants")
    void lowerBoundAckEdge(KernelProfile k, boolean scale, boolean wrap) {
        Flow f = established(k, scale, wrap);
        pump(f, 2);
        int maxAckWindow = Math.max(f.ct.store().tdMaxWin(TupleHashRef.original(f.entry)), TcpWindow.MAXACKWINCONST);
        int lowest = f.sSeq - maxAckWindow; // sack must be >= td_end - MAXACKWINDOW(sender)
        assertNull(f.client(Flow.ACK, f.cSeq, lowest).reason());
        CtResult under = f.client(Flow.ACK, f.cSeq, lowest - 1);
        if (k == KernelProfile.V4_19) {
            assertEquals(CtState.INVALID, under.state());
            assertEquals("ACK is under the lower bound (possible overly delayed ACK)", under.reason());
        } else {
            assertTrue(under.ignored());
            assertEquals(
                    "ignored ACK under lower bound " + Integer.toUnsignedString(lowest - 1)
                            + " (possible overly delayed)",
                    under.reason());
        }
    }

    @ParameterizedTest(name = "{0} scale={1} wrap={2}")
    @MethodSource("variants")
    void kubernetesIssue74839DelayedSegment(KernelProfile k, boolean scale, boolean wrap) {
        Flow f = established(k, scale, wrap);
        CtResult r = serverData(f, f.sSeq - 100000, 1000);
        if (k == KernelProfile.V4_19) {
            assertEquals(CtState.INVALID, r.state());
            assertEquals("SEQ is under the lower bound (already ACKed data retransmitted)", r.reason());
        } else {
            assertEquals(CtState.ESTABLISHED, r.state());
            assertEquals(CtDir.REPLY, r.dir());
            assertTrue(r.ignored());
            assertTrue(r.reason().startsWith("SEQ is under lower bound "), r.reason());
            assertEquals(f.entry, r.entry());
        }
        assertEquals(TcpState.ESTABLISHED, f.state());
    }

    @ParameterizedTest(name = "{0} scale={1} wrap={2}")
    @MethodSource("variants")
    void beLiberalAcceptsWindowFailures(KernelProfile k, boolean scale, boolean wrap) {
        Flow f = Flow.of(k, "net.netfilter.nf_conntrack_tcp_be_liberal=1")
                .handshake(wrap ? WRAP_CLIENT : LOW_CLIENT, wrap ? WRAP_SERVER : LOW_SERVER, scale);
        CtResult r = serverData(f, f.sSeq - 100000, 1000);
        assertEquals(CtState.ESTABLISHED, r.state());
        assertFalse(r.ignored());
        assertNull(r.reason());
        CtResult far = serverData(f, serverMaxEnd(f) + 10_000_000, 1000);
        assertEquals(CtState.ESTABLISHED, far.state());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void windowScalingNeedsBothSyns(KernelProfile k) {
        Flow f = new Flow(k);
        f.client(Flow.SYN, 1000, 0, 64240, 0, TcpOptions.syn(1460, 7, true));
        f.server(Flow.SYNACK, 5000, 1001, 65160, 0, TcpOptions.syn(1460, TcpOptions.ABSENT, true));
        f.client(Flow.ACK, 1001, 5001, 502, 0, TcpOptions.NONE);
        assertEquals(0, f.ct.store().tdScale(TupleHashRef.original(f.entry)));
        assertEquals(0, f.ct.store().tdScale(TupleHashRef.reply(f.entry)));
        // the client's 502 is 502 bytes, so 1000 bytes of data go past td_maxend
        CtResult r = serverData(f, 5001 + 1000, 100);
        if (k == KernelProfile.V4_19) {
            assertEquals(CtState.INVALID, r.state());
        } else {
            assertTrue(r.ignored());
            assertTrue(r.reason().endsWith("bytes more than expected"), r.reason());
        }
        Flow g = new Flow(k).handshake(1000, 5000, true);
        assertEquals(7, g.ct.store().tdScale(TupleHashRef.original(g.entry)));
        assertNull(serverData(g, 5001 + 1000, 100).reason(), "502 << 7 covers it");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void windowScaleIsClampedTo14(KernelProfile k) {
        Flow f = new Flow(k);
        f.client(Flow.SYN, 1000, 0, 64240, 0, TcpOptions.syn(1460, 15, true));
        f.server(Flow.SYNACK, 5000, 1001, 65160, 0, TcpOptions.syn(1460, 20, true));
        assertEquals(14, f.ct.store().tdScale(TupleHashRef.original(f.entry)));
        assertEquals(14, f.ct.store().tdScale(TupleHashRef.reply(f.entry)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void sackRightEdgeCountsOnlyWhenTheReceiverPermittedSack(KernelProfile k) {
        TcpOptions sack = TcpOptions.NONE.withSackBlocks(List.of(new SackBlock(5001 + 2000, 5001 + 3000)));
        Flow f = new Flow(k).handshake(1000, 5000, false);
        serverData(f, 5001, 1000);
        CtResult r = f.client(Flow.ACK, 1001, 5001, 65535, 0, sack);
        assertEquals(CtState.INVALID, r.state(), "SACK edge beyond the server's td_end fails III");

        Flow g = new Flow(k);
        g.client(Flow.SYN, 1000, 0, 65535, 0, TcpOptions.syn(1460, TcpOptions.ABSENT, false));
        g.server(Flow.SYNACK, 5000, 1001, 65535, 0, TcpOptions.syn(1460, TcpOptions.ABSENT, false));
        g.client(Flow.ACK, 1001, 5001, 65535, 0, TcpOptions.NONE);
        serverData(g, 5001, 1000);
        assertEquals(
                CtState.ESTABLISHED,
                g.client(Flow.ACK, 1001, 5001, 65535, 0, sack).state(),
                "without SACK_PERM the blocks are not looked at");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void keepAliveReplyTweakFrom4_19_153(KernelProfile k) {
        Flow f = new Flow(k);
        // picked up from a client keep-alive (seq = snd_nxt - 1), then the server's reply acks snd_nxt
        f.client(Flow.ACK, 9999, 5001, 502, 0, TcpOptions.NONE);
        int tdEnd = f.ct.store().tdEnd(TupleHashRef.original(f.entry));
        f.server(Flow.ACK, 5001, 10000, 509, 0, TcpOptions.NONE);
        int expected = tdEnd + 1; // 4f25434bccc2, in 4.19.153 and so in both profiles
        assertEquals(expected, f.ct.store().tdEnd(TupleHashRef.original(f.entry)));
    }

    static Stream<KernelProfile> kernels() {
        return Stream.of(KernelProfile.V4_19, KernelProfile.V6_18);
    }
}
