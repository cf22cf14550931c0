package io.kpsim.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TraceListener;
import io.kpsim.cluster.TracePoint;
import io.kpsim.conntrack.TcpState;
import io.kpsim.packet.TcpFlags;
import io.kpsim.report.JsonReport;
import io.kpsim.report.RunObserver;
import io.kpsim.report.RunReport;
import io.kpsim.report.TextReport;
import io.kpsim.scenario.ScenarioRun;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The conntrack entries a recorded run carries (read before and after each node's verdict through
 * the read-only view): what they say, and that reading them changes nothing in the run.
 */
class EntryWitnessTest {

    /** Every trace line of a run, digested, with the run's text and JSON. */
    private record Outcome(String digest, String text, String json, LadderRecorder recorder) {}

    private static Outcome run(String name, boolean recorded) throws NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        TraceListener digest = e -> md.update((e.line() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        RunObserver observer = new RunObserver();
        LadderRecorder recorder = recorded ? LadderRecorder.of(observer) : null;
        List<TraceListener> listeners = recorded ? List.of(recorder, digest) : List.of(digest);
        RunReport report = ScenarioRun.run(
                Runs.load(name), new ScenarioRun.Options(true, null, false, null), null, observer, listeners);
        return new Outcome(
                HexFormat.of().formatHex(md.digest()), TextReport.render(report), JsonReport.render(report), recorder);
    }

    @Test
    void recordingTheEntriesChangesNothingInTheRun() throws NoSuchAlgorithmException {
        for (String name : List.of("blog-reset", "boom-4.19")) {
            Outcome plain = run(name, false);
            Outcome recorded = run(name, true);
            assertEquals(plain.digest(), recorded.digest(), name + ": every trace event the same");
            assertEquals(plain.text(), recorded.text(), name);
            assertEquals(plain.json(), recorded.json(), name);
        }
    }

    @Test
    void theBlogsEntriesBeforeAndAfterEachHop() throws NoSuchAlgorithmException {
        LadderRecorder recorder = run("blog-reset", true).recorder();
        Capture c = recorder.capture();
        assertNotNull(c);
        boolean sawInvalid = false;
        boolean sawRstToPod = false;
        boolean sawAccepted = false;
        for (int i = 0; i < c.events.size(); i++) {
            TraceEvent e = c.events.get(i);
            CtChange ch = c.changes.get(i);
            if (e.point() != TracePoint.NODE_ROUTE && e.point() != TracePoint.NODE_DROP) {
                assertNull(ch, "entries only beside node verdicts: " + e);
                continue;
            }
            assertNotNull(ch, "every node verdict of a TCP packet carries its entries: " + e);
            CtVerdict v = Hops.verdict(e);
            boolean rst = e.packet().tcp().has(TcpFlags.RST);
            if (v.invalid() && !rst) {
                // The escaped segment: judged against the entry, which it leaves as it was.
                assertNotNull(ch.before(), e.toString());
                assertSame(ch.before(), ch.after(), "an INVALID packet changes no entry, so the record is shared");
                // node-a DNATed the connection to the service; node-b saw it already DNATed.
                assertEquals(
                        e.where().equals("node-a") ? "10.96.0.10" : "10.244.2.2",
                        io.kpsim.packet.Ip4.format(ch.before().original().dstIp()),
                        e.toString());
                // tcp_in_window(): the sender is the reply direction; "SEQ is over the upper
                // bound" is !before(seq, sender->td_maxend + 1).
                long maxEnd = ch.before().replyWindow().tdMaxEnd();
                assertTrue(
                        e.packet().tcp().seq() - (int) maxEnd > 0,
                        "the segment starts beyond the server side's td_maxend: " + ch.before());
                sawInvalid = true;
            } else if (rst && ch.before() == null) {
                // The client's RST to the pod address matches no entry's tuple.
                assertNull(ch.after(), e.toString());
                sawRstToPod = true;
            } else if (!v.invalid()
                    && !rst
                    && e.packet().tcp().payloadLength() > 0
                    && !e.packet().tcp().has(TcpFlags.FIN)) {
                assertNotNull(ch.before(), e.toString());
                assertNotNull(ch.after(), e.toString());
                assertEquals(ch.before().original(), ch.after().original());
                // Data flows ESTABLISHED; node-b's entry is CLOSE once it let the client's RST through.
                assertTrue(
                        ch.after().state() == TcpState.ESTABLISHED || ch.after().state() == TcpState.CLOSE,
                        e.toString());
                sawAccepted = true;
            }
        }
        assertTrue(sawInvalid && sawRstToPod && sawAccepted, "invalid " + sawInvalid + " rst " + sawRstToPod);
    }
}
