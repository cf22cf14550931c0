package io.kpsim.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.cluster.SegmentReceiptsListener;
import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TraceListener;
import io.kpsim.cluster.TracePoint;
import io.kpsim.report.JsonReport;
import io.kpsim.report.RunObserver;
import io.kpsim.report.RunReport;
import io.kpsim.report.TextReport;
import io.kpsim.scenario.ScenarioRun;
import io.kpsim.tcp.SegmentAction;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The narration's listeners read a TCP stack's receipts of segments only for the packets and
 * actions they ask for ({@link SegmentReceiptsListener}): with only them listening, the pods make no
 * event for the receipt of an ordinary data segment or ACK, and the run's story, text and JSON
 * report and outcomes are those of a run in which a plain listener makes the pods report every
 * receipt. On the blog scenario (a reset story, a forged segment, an INVALID packet whose fate is
 * followed) and the congested one (retransmissions, duplicate ACKs).
 */
class SegmentReceiptsTest {

    /** Counts the SOCKET events of receipts it is handed; it asks for none. */
    private static final class Receipts implements SegmentReceiptsListener {
        int routine;
        int all;

        @Override
        public boolean wantsReceipt(long packetId, SegmentAction action) {
            return false;
        }

        @Override
        public void onEvent(TraceEvent e) {
            String detail = e.detail();
            if (detail != null && detail.startsWith("received: ")) {
                all++;
                if ("ACK_NEW".equals(e.reason()) || "DATA_IN_ORDER".equals(e.reason())) {
                    routine++;
                }
            }
        }

        @Override
        public Set<TracePoint> points() {
            return EnumSet.of(TracePoint.SOCKET);
        }
    }

    private record Told(String text, String json, int routine, int receipts) {}

    private static Told run(String scenario, boolean everyReceipt) {
        OutcomeRecorder outcomes = new OutcomeRecorder();
        Receipts counted = new Receipts();
        List<TraceListener> listeners = new ArrayList<>(List.of(outcomes, counted));
        if (everyReceipt) {
            listeners.add(e -> {}); // a plain listener of every point: every receipt is reported
        }
        RunReport report = ScenarioRun.run(
                Runs.load(scenario),
                new ScenarioRun.Options(true, null, false, null),
                null,
                new RunObserver(false, true),
                listeners);
        Outcomes o = outcomes.outcomes();
        return new Told(
                TextReport.render(report, OutcomeText.render(o)),
                JsonReport.render(report, OutcomeJson.members(o)),
                counted.routine,
                counted.all);
    }

    @ParameterizedTest
    @ValueSource(strings = {"blog-reset", "congested-4.19"})
    void theReceiptsAskedForTellTheSameReportAsEveryReceipt(String scenario) {
        Told asked = run(scenario, false);
        Told every = run(scenario, true);
        assertTrue(every.routine() > 100, "data and ACK receipts in a run with every receipt: " + every.routine());
        assertTrue(
                asked.receipts() < every.receipts() / 2,
                "receipts made: " + asked.receipts() + " of " + every.receipts());
        assertEquals(every.text(), asked.text());
        assertEquals(every.json(), asked.json());
        if (scenario.equals("blog-reset")) {
            assertTrue(asked.text().contains("RST"), asked.text());
            assertFalse(asked.json().contains("\"first_reset\":null"), asked.json());
        }
    }
}
