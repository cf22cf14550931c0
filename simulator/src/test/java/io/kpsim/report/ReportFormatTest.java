package io.kpsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Text and JSON layout, JSON escaping, and the window arithmetic of the narration. */
class ReportFormatTest {

    private static final RunContext CONTEXT = new RunContext(
            "demo",
            "A demo \"run\"\twith\u0001 odd text.",
            "scenarios/demo.yaml",
            9,
            KernelProfile.V6_18,
            false,
            true,
            2_500_000_000L);
    private static final RunMetrics METRICS = new RunMetrics(10, 9, 1, 3, 2, 0, 1234, 0, 0, 5, 2_500_000_000L);

    private static RunReport report(boolean pass) {
        return new RunReport(
                CONTEXT,
                METRICS,
                null,
                new Diagnosis(true, "RESET: 1 connection reset by peer", List.of("because"), List.of("a fix")),
                List.of(
                        new ExpectationResult("resets", ">= 1", 1, true),
                        new ExpectationResult("invalidDropped", "== 0", 2, pass)));
    }

    @Test
    void jsonIsOneObjectWithEscapedStrings() {
        String json = JsonReport.render(report(false));
        assertTrue(
                json.startsWith(
                        "{\"scenario\":\"demo\",\"source\":\"scenarios/demo.yaml\",\"seed\":9,"
                                + "\"kernel\":\"6.18\",\"be_liberal\":false,\"drop_invalid\":true,\"connections\":10,\"completed\":9,"
                                + "\"reset\":1,\"invalid\":3,\"invalid_dropped\":2,\"ignored\":0,\"packets\":1234,\"injected\":0,"
                                + "\"injections_missed\":0,\"retransmissions\":5,\"simulated_seconds\":2.5,\"verdict\":\"reset\",\"first_reset\":null,"),
                json);
        assertTrue(
                json.endsWith("{\"metric\":\"invalidDropped\",\"condition\":\"== 0\",\"actual\":2,\"pass\":false}],"
                        + "\"passed\":false}"),
                json);
        assertEquals("\"a \\\"b\\\"\\t\\\\ \\u0001\\n\"", JsonReport.quote("a \"b\"\t\\ \u0001\n"));
    }

    @Test
    void textHasHeaderOutcomeVerdictAndAlignedExpectations() {
        String text = TextReport.render(report(false));
        assertTrue(text.startsWith("kpsim run demo (scenarios/demo.yaml)\n"), text);
        assertTrue(
                text.contains("seed 9, kernel 6.18, nf_conntrack_tcp_be_liberal=0, KUBE-FORWARD INVALID drop on,"
                        + " simulated 2.5s\n"),
                text);
        assertTrue(
                text.contains("\nconnections 10, completed 9, reset 1, INVALID packets 3 (dropped 2), ignored 0,"
                        + " packets 1234, retransmissions 5\n"),
                text);
        assertTrue(
                text.contains("\nRESET: 1 connection reset by peer\n  why: because\n"
                        + "  fixes that would have helped:\n    - a fix\n"),
                text);
        assertTrue(
                text.contains("  PASS  resets >= 1          (actual 1)\n"
                        + "  FAIL  invalidDropped == 0  (actual 2)\nFAIL: 1 of 2 expectations held\n"),
                text);
        assertTrue(TextReport.render(report(true)).endsWith("PASS: 2 of 2 expectations held\n"));
    }

    @Test
    void windowWordsMeasureInSequenceSpaceAcrossTheWrap() {
        EndpointViews.View client = new EndpointViews.View();
        client.ack = 0xffff_ff00L;
        client.windowField = 512;
        client.scale = 7;
        client.windowBytes = 512 << 7;
        client.sndNxt = 1000;
        TcpSegment above = new TcpSegment(80, 40000, 0x0002_0000, 1000, TcpFlags.ACK, 512, 0, TcpOptions.NONE, 7);
        String upper = WindowWords.explain(
                        "SEQ is over the upper bound (over the window of the receiver)", above, "client", client, null)
                .orElseThrow();
        long windowEnd = (0xffff_ff00L + 65536) & 0xffffffffL;
        assertTrue(upper.contains("advertised 65536 bytes of window (field 512 << wscale 7)"), upper);
        assertTrue(upper.contains("that window ended at " + windowEnd + " (conntrack's td_maxend keeps"), upper);
        assertTrue(upper.contains((0x0002_0000L - windowEnd) + " bytes beyond it"), upper);
        TcpSegment below = new TcpSegment(80, 40000, 0xffff_0000, 1000, TcpFlags.ACK, 512, 0, TcpOptions.NONE, 7);
        String lower = WindowWords.explain(
                        "SEQ is under the lower bound (already ACKed data retransmitted)",
                        below,
                        "client",
                        client,
                        null)
                .orElseThrow();
        assertTrue(lower.contains("ends " + (0xffff_ff00L - 0xffff_0007L) + " bytes before that"), lower);
        TcpSegment ack = new TcpSegment(80, 40000, 5, 5000, TcpFlags.ACK, 512, 0, TcpOptions.NONE, 0);
        String badAck = WindowWords.explain(
                        "ACK is over the upper bound (ACKed data not seen yet)", ack, "client", client, null)
                .orElseThrow();
        assertTrue(badAck.contains("acknowledges 5000, 4000 bytes beyond anything client has sent"), badAck);
        assertTrue(
                WindowWords.explain("invalid new", ack, "client", client, null).isEmpty());
    }

    @Test
    void onSixEighteenTheExplanationUsesTheBoundTheKernelPrints() {
        EndpointViews.View client = new EndpointViews.View();
        client.ack = 1_000_000;
        client.windowField = 100;
        client.scale = 7;
        client.windowBytes = 100 << 7;
        client.sndNxt = 5000;
        TcpSegment above = new TcpSegment(80, 40000, 2_000_000, 5000, TcpFlags.ACK, 512, 0, TcpOptions.NONE, 7);
        long windowEnd = 1_000_000 + (100 << 7);
        // td_maxend further than the current window: an earlier ACK granted more.
        long maxEnd = windowEnd + 4096;
        String upper = WindowWords.explain(
                        "SEQ is over upper bound " + (maxEnd + 1) + " (over the window of the receiver)",
                        above,
                        "client",
                        client,
                        null)
                .orElseThrow();
        assertTrue(
                upper.contains("the kernel's bound " + (maxEnd + 1) + " is td_maxend + 1: td_maxend " + maxEnd), upper);
        assertTrue(upper.contains("4096 bytes beyond client's current window end " + windowEnd), upper);
        assertTrue(upper.contains((2_000_000 - maxEnd) + " bytes beyond td_maxend"), upper);
        String same = WindowWords.explain(
                        "SEQ is over upper bound " + (windowEnd + 1) + " (over the window of the receiver)",
                        above,
                        "client",
                        client,
                        null)
                .orElseThrow();
        assertTrue(same.contains("the same end as client's current window"), same);
        TcpSegment below = new TcpSegment(80, 40000, 100_000, 5000, TcpFlags.ACK, 512, 0, TcpOptions.NONE, 10);
        String lower = WindowWords.explain(
                        "SEQ is under lower bound 500000 (already ACKed data retransmitted)",
                        below,
                        "client",
                        client,
                        null)
                .orElseThrow();
        assertTrue(lower.contains("ends " + (500_000 - 100_010) + " bytes below it"), lower);
        assertEquals(-1, WindowWords.printedBound("SEQ is over the upper bound (over the window of the receiver)"));
        assertEquals(-1, WindowWords.printedBound("SEQ is over upper bound 99999999999 (x)"));
    }
}
