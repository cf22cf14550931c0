package io.kpsim.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.cluster.TraceListener;
import io.kpsim.cluster.TracePoint;
import io.kpsim.report.RunObserver;
import io.kpsim.scenario.ScenarioRun;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The outcome recorder, handed only the points it declares, tells the same outcomes as one handed
 * every event: on the blog scenario, whose connections reset and which forges a segment, so both
 * books (connections and forged packets' journeys) are exercised.
 */
class OutcomeRecorderPointsTest {

    @Test
    void theDeclaredPointsAreAllTheBooksRead() {
        OutcomeRecorder filtered = new OutcomeRecorder();
        OutcomeRecorder everything = new OutcomeRecorder();
        TraceListener all = everything::onEvent; // the interface's default: every point
        assertEquals(TracePoint.values().length, all.points().size());
        assertFalse(filtered.points().contains(TracePoint.NODE_HOOK), "hops are not handed to the books");
        assertFalse(filtered.points().contains(TracePoint.LINK_SEND));
        ScenarioRun.run(
                Runs.load("blog-reset"),
                new ScenarioRun.Options(true, null, false, null),
                null,
                new RunObserver(),
                List.of(filtered, all));
        Outcomes a = filtered.outcomes();
        Outcomes b = everything.outcomes();
        assertFalse(b.injections().isEmpty(), "the blog scenario forges a segment");
        assertTrue(OutcomeText.render(b).contains("reset"), OutcomeText.render(b));
        assertEquals(OutcomeText.render(b), OutcomeText.render(a));
        assertEquals(OutcomeJson.members(b), OutcomeJson.members(a));
    }
}
