package io.kpsim.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.cluster.Node;
import io.kpsim.cluster.NodeArrivalListener;
import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TraceListener;
import io.kpsim.cluster.TracePoint;
import io.kpsim.packet.Packet;
import io.kpsim.report.RunObserver;
import io.kpsim.scenario.ScenarioRun;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The html report's recorder, handed only the points it declares, captures the same ladder and
 * tells the same outcomes as one handed every event: on the blog scenario, whose story starts a
 * capture and whose forged segment is not simply accepted.
 */
class LadderRecorderPointsTest {

    /** A recorder behind a listener of every point (the interface's default) and of node arrivals. */
    private record EveryPoint(LadderRecorder recorder) implements TraceListener, NodeArrivalListener {

        @Override
        public void onEvent(TraceEvent e) {
            recorder.onEvent(e);
        }

        @Override
        public void arriving(Node node, long packetId, Packet packet, long nowNanos) {
            recorder.arriving(node, packetId, packet, nowNanos);
        }
    }

    @Test
    void theDeclaredPointsAreAllTheRecorderReads() {
        RunObserver observer = new RunObserver();
        LadderRecorder filtered = LadderRecorder.of(observer);
        LadderRecorder everything = LadderRecorder.of(observer);
        EveryPoint all = new EveryPoint(everything);
        assertEquals(TracePoint.values().length, all.points().size());
        assertFalse(filtered.points().contains(TracePoint.NODE_HOOK), "hook steps are not handed to the recorder");
        assertFalse(filtered.points().contains(TracePoint.LINK_SEND));
        assertFalse(filtered.points().contains(TracePoint.LINK_DELIVER));
        assertTrue(filtered.points().containsAll(filtered.outcomes().points()));

        ScenarioRun.run(
                Runs.load("blog-reset"),
                new ScenarioRun.Options(true, null, false, null),
                null,
                observer,
                List.of(filtered, all));

        Capture a = filtered.capture();
        Capture b = everything.capture();
        assertNotNull(b, "the blog's story starts a capture");
        assertNotNull(a);
        assertTrue(b.events.size() > 5, "the capture holds the connection's events: " + b.events.size());
        assertEquals(b.anchorId, a.anchorId);
        assertEquals(b.events, a.events); // the same event objects, in the same order
        assertEquals(b.changes, a.changes);
        assertEquals(
                OutcomeText.render(everything.outcomes().outcomes()),
                OutcomeText.render(filtered.outcomes().outcomes()));
    }
}
