package io.kpsim.replay;

import static io.kpsim.replay.CaptureFixture.CLIENT_ISN;
import static io.kpsim.replay.CaptureFixture.SERVER_ISN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.TcpState;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.oracle.Oracle;
import io.kpsim.oracle.OracleConfig;
import io.kpsim.oracle.OracleMachineCheck;
import io.kpsim.oracle.OracleReport;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kernel behaviours measured on Linux 6.18 (kernel-conntrack.md, "Observed on a real Linux 6.18
 * kernel"), each pinned in the model. Every fact is a capture: one test per fact asserts the
 * model's records, and {@link #theKernelAgreesWithTheModel} replays the same capture through the
 * real kernel and requires agreement on every field. Where the machine cannot run the kernel
 * oracle, that half is skipped (a JUnit assumption, reported as skipped with what is missing),
 * never passed silently.
 */
class MeasuredKernelFactsTest {

    @TempDir
    Path dir;

    /**
     * One measured behaviour.
     *
     * @param name names the capture file and the kernel test
     * @param capture the packets, as they reach the node
     * @param beLiberal whether {@code nf_conntrack_tcp_be_liberal} is set
     */
    record Fact(String name, CaptureFixture capture, boolean beLiberal) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final TcpOptions SYN = TcpOptions.syn(1460, 7, true);

    static Stream<Fact> facts() {
        return Stream.of(
                secondSynBelow(),
                secondSynAck(),
                bogusRst(),
                bogusRstLiberal(),
                rstPastWindow(),
                retransmittedSynKeepsScale(),
                rstToChallengeAck(),
                liberalKeptThroughResync());
    }

    private static NodeConfig node(Fact fact) {
        Sysctls sysctls = Sysctls.defaults(KernelProfile.V6_18);
        if (fact.beLiberal()) {
            sysctls = sysctls.with("net.netfilter.nf_conntrack_tcp_be_liberal", "1");
        }
        return new NodeConfig(
                List.of(ServiceMapping.parse(CaptureFixture.SERVICE)), KernelProfile.V6_18, sysctls, false, 3);
    }

    private List<ReplayRecord> model(Fact fact) {
        Path file = fact.capture().write(dir.resolve(fact.name() + ".pcap"));
        return new Replayer(node(fact), false).replay(file, file.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("facts")
    void theKernelAgreesWithTheModel(Fact fact) {
        String problems = OracleMachineCheck.summary();
        Assumptions.assumeTrue(problems == null, problems);
        NodeConfig config = node(fact);
        Path file = fact.capture().write(dir.resolve(fact.name() + ".pcap"));
        Replayer model = new Replayer(config, false);
        OracleReport report = Oracle.run(OracleConfig.from(config), List.of(file), p -> model.replay(p, p.toString()));
        assertEquals(model.replay(file, file.toString()).size(), report.packets(), report.text());
        assertEquals(0, report.disagreements(), report.text());
    }

    static Fact secondSynBelow() {
        CaptureFixture f = new CaptureFixture();
        f.client(TcpFlags.SYN, CLIENT_ISN + 200_000, 0, 64240, 0, SYN);
        f.client(TcpFlags.SYN, CLIENT_ISN, 0, 64240, 0, SYN);
        f.server(TcpFlags.SYN | TcpFlags.ACK, SERVER_ISN, CLIENT_ISN + 1, 65160, 0, SYN);
        f.client(TcpFlags.ACK, CLIENT_ISN + 1, SERVER_ISN + 1, 502, 0, TcpOptions.NONE);
        f.client(TcpFlags.PSH | TcpFlags.ACK, CLIENT_ISN + 1, SERVER_ISN + 1, 502, 100, TcpOptions.NONE);
        return new Fact("second-syn-below", f, false);
    }

    @Test
    void secondSynFarBelowTheFirstLeavesTheHandshakeStuckInSynSent() {
        List<ReplayRecord> r = model(secondSynBelow());
        // The SYN-ACK answers the second SYN: its ACK is far below what conntrack expects, so it is
        // ignored, the entry never leaves SYN_SENT and the client's ACK and data are INVALID.
        assertTrue(r.get(2).reason().startsWith("ignored ACK under lower bound"), r.toString());
        assertEquals(CtState.ESTABLISHED, r.get(2).ctstate());
        assertEquals(CtState.INVALID, r.get(3).ctstate());
        assertEquals(
                "packet (index 3) in dir 0 invalid, state SYN_SENT", r.get(3).reason());
        assertEquals(TcpState.SYN_SENT, r.get(4).tcpState(), r.toString());
    }

    static Fact secondSynAck() {
        CaptureFixture f = new CaptureFixture();
        f.client(TcpFlags.SYN, CLIENT_ISN, 0, 64240, 0, SYN);
        f.server(TcpFlags.SYN | TcpFlags.ACK, SERVER_ISN, CLIENT_ISN + 1, 65160, 0, SYN);
        f.server(TcpFlags.SYN | TcpFlags.ACK, SERVER_ISN + 3_000_000, CLIENT_ISN + 1, 65160, 0, SYN);
        f.client(TcpFlags.ACK, CLIENT_ISN + 1, SERVER_ISN + 3_000_001, 502, 0, TcpOptions.NONE);
        f.server(TcpFlags.PSH | TcpFlags.ACK, SERVER_ISN + 3_000_001, CLIENT_ISN + 1, 509, 100, TcpOptions.NONE);
        return new Fact("second-synack", f, false);
    }

    @Test
    void secondSynAckWithAnotherIsnMakesLaterPacketsInvalid() {
        List<ReplayRecord> r = model(secondSynAck());
        assertEquals(CtState.INVALID, r.get(3).ctstate(), r.toString());
        assertEquals(CtState.INVALID, r.get(4).ctstate(), r.toString());
    }

    static Fact bogusRst() {
        CaptureFixture f = new CaptureFixture();
        f.client(TcpFlags.SYN, CLIENT_ISN, 0, 64240, 0, SYN);
        f.server(TcpFlags.SYN | TcpFlags.ACK, SERVER_ISN, CLIENT_ISN + 1, 65160, 0, SYN);
        f.server(TcpFlags.RST | TcpFlags.ACK, 0, CLIENT_ISN - 500_000, 0, 0, TcpOptions.NONE);
        f.server(TcpFlags.SYN | TcpFlags.ACK, SERVER_ISN, CLIENT_ISN + 1, 65160, 0, SYN);
        f.client(TcpFlags.ACK, CLIENT_ISN + 1, SERVER_ISN + 1, 502, 0, TcpOptions.NONE);
        f.client(TcpFlags.PSH | TcpFlags.ACK, CLIENT_ISN + 1, SERVER_ISN + 1, 502, 10, TcpOptions.NONE);
        return new Fact("bogus-rst", f, false);
    }

    @Test
    void bogusRstAckDuringTheHandshakeIsIgnoredAndTheRetriedSynAckToo() {
        List<ReplayRecord> r = model(bogusRst());
        assertEquals(CtState.ESTABLISHED, r.get(2).ctstate(), "the RST is ignored, still tracked: " + r);
        assertEquals(
                "ignored ACK under lower bound 4294902296 (possible overly delayed)",
                r.get(2).reason());
        assertEquals(TcpState.SYN_RECV, r.get(2).tcpState(), "the RST did not close the entry");
        assertEquals(
                "packet (index 1) in dir 1 ignored, state SYN_RECV", r.get(3).reason());
        assertEquals(TcpState.ESTABLISHED, r.get(5).tcpState());
    }

    static Fact bogusRstLiberal() {
        CaptureFixture f = new CaptureFixture();
        f.client(TcpFlags.SYN, CLIENT_ISN, 0, 64240, 0, SYN);
        f.server(TcpFlags.RST | TcpFlags.ACK, 0, CLIENT_ISN - 500_000, 0, 0, TcpOptions.NONE);
        return new Fact("bogus-rst-liberal", f, true);
    }

    @Test
    void bogusRstAckInSynSentClosesTheEntryWithBeLiberal() {
        // Found through the oracle: the only reply, an accepted RST, kills the entry while its
        // packet is still in flight; confirming it at POSTROUTING must be a no-op.
        List<ReplayRecord> r = model(bogusRstLiberal());
        assertEquals(null, r.get(1).tcpState(), "the RST closed and removed the unreplied entry: " + r);
    }

    static Fact rstPastWindow() {
        CaptureFixture f = new CaptureFixture().handshake();
        // td_maxend of the server = client's ack + client's window << 7 = SERVER_ISN + 1 + 502 * 128.
        int maxEnd = SERVER_ISN + 1 + 502 * 128;
        f.server(TcpFlags.RST, maxEnd + 1, 0, 0, 0, TcpOptions.NONE);
        f.server(TcpFlags.RST, SERVER_ISN + 1, 0, 0, 0, TcpOptions.NONE);
        f.client(TcpFlags.PSH | TcpFlags.ACK, CLIENT_ISN + 1, SERVER_ISN + 1, 502, 10, TcpOptions.NONE);
        return new Fact("rst-past-window", f, false);
    }

    @Test
    void rstJustPastTheWindowAndTheExactRstAfterItAreIgnored() {
        List<ReplayRecord> r = model(rstPastWindow());
        assertEquals(TcpState.ESTABLISHED, r.get(5).tcpState(), r.toString());
    }

    /** Switch tcp_syn_reinit_reply_scale (6.1.77+): a retransmitted SYN with a higher ISN keeps its window scale. */
    static Fact retransmittedSynKeepsScale() {
        CaptureFixture f = new CaptureFixture();
        f.client(TcpFlags.SYN, CLIENT_ISN, 0, 62727, 0, SYN);
        f.client(TcpFlags.SYN, CLIENT_ISN + 3_000_000, 0, 62727, 0, SYN);
        f.server(TcpFlags.SYN | TcpFlags.ACK, SERVER_ISN, CLIENT_ISN + 3_000_001, 65160, 0, SYN);
        f.client(TcpFlags.ACK, CLIENT_ISN + 3_000_001, SERVER_ISN + 1, 502, 0, TcpOptions.NONE);
        f.server(TcpFlags.PSH | TcpFlags.ACK, SERVER_ISN + 1, CLIENT_ISN + 3_000_001, 509, 1000, TcpOptions.NONE);
        // near the end of the scaled window (SERVER_ISN + 1 + 502 << 7), far past an unscaled one
        f.server(TcpFlags.PSH | TcpFlags.ACK, SERVER_ISN + 64_150, CLIENT_ISN + 3_000_001, 509, 100, TcpOptions.NONE);
        return new Fact("retransmitted-syn-keeps-scale", f, false);
    }

    @Test
    void aRetransmittedSynWithAHigherIsnKeepsItsWindowScale() {
        List<ReplayRecord> r = model(retransmittedSynKeepsScale());
        assertEquals(CtState.ESTABLISHED, r.get(5).ctstate(), r.toString());
        assertEquals(TcpState.ESTABLISHED, r.get(5).tcpState(), r.toString());
    }

    /** Switch tcp_challenge_ack_reuse (6.1.9+): a RST answering a challenge ACK to a SYN on a re-used tuple passes. */
    static Fact rstToChallengeAck() {
        int old = 50_000_000;
        CaptureFixture f = new CaptureFixture();
        f.client(TcpFlags.SYN, old, 0, 64240, 0, SYN);
        f.server(TcpFlags.SYN | TcpFlags.ACK, SERVER_ISN, old + 1, 65160, 0, SYN);
        f.client(TcpFlags.ACK, old + 1, SERVER_ISN + 1, 502, 0, TcpOptions.NONE);
        f.client(TcpFlags.FIN | TcpFlags.ACK, old + 1, SERVER_ISN + 1, 502, 0, TcpOptions.NONE);
        f.server(TcpFlags.FIN | TcpFlags.ACK, SERVER_ISN + 1, old + 2, 509, 0, TcpOptions.NONE);
        f.client(TcpFlags.ACK, old + 2, SERVER_ISN + 2, 502, 0, TcpOptions.NONE);
        f.client(TcpFlags.SYN, CLIENT_ISN, 0, 64240, 0, SYN);
        f.server(TcpFlags.ACK, SERVER_ISN + 2, old + 2, 509, 0, TcpOptions.NONE);
        f.client(TcpFlags.RST, old + 2, 0, 0, 0, TcpOptions.NONE);
        f.client(TcpFlags.SYN, CLIENT_ISN, 0, 64240, 0, SYN);
        return new Fact("rst-to-challenge-ack", f, false);
    }

    @Test
    void aRstAnsweringAChallengeAckToAReusedTupleClosesIt() {
        List<ReplayRecord> r = model(rstToChallengeAck());
        assertEquals(TcpState.TIME_WAIT, r.get(5).tcpState(), r.toString());
        assertEquals(CtState.NEW, r.get(6).ctstate(), "the reopened tuple: " + r);
        assertEquals(CtState.ESTABLISHED, r.get(7).ctstate(), "the challenge ACK is ignored: " + r);
        assertEquals(TcpState.SYN_SENT, r.get(7).tcpState(), r.toString());
        assertEquals(TcpState.CLOSE, r.get(8).tcpState(), "the RST passes: " + r);
        assertEquals(CtState.NEW, r.get(9).ctstate(), "and the next SYN starts again: " + r);
    }

    /** Switch tcp_liberal_kept (4.19.238+): a picked-up entry stays liberal through a SYN/ACK resync. */
    static Fact liberalKeptThroughResync() {
        CaptureFixture f = new CaptureFixture();
        f.client(TcpFlags.ACK, CLIENT_ISN, SERVER_ISN, 502, 0, TcpOptions.NONE);
        f.client(TcpFlags.SYN, 90_000, 0, 64240, 0, SYN);
        f.server(TcpFlags.SYN | TcpFlags.ACK, 700_000, 90_001, 65160, 0, SYN);
        f.client(TcpFlags.ACK, 90_001, 700_001, 502, 0, TcpOptions.NONE);
        f.server(TcpFlags.PSH | TcpFlags.ACK, 700_001 + 50_000_000, 90_001, 509, 100, TcpOptions.NONE);
        return new Fact("liberal-kept-through-resync", f, false);
    }

    @Test
    void aPickedUpEntryStaysLiberalThroughAResync() {
        List<ReplayRecord> r = model(liberalKeptThroughResync());
        assertEquals(TcpState.ESTABLISHED, r.get(3).tcpState(), r.toString());
        assertEquals(CtState.ESTABLISHED, r.get(4).ctstate(), "accepted far past the window: " + r);
    }
}
