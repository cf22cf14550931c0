package io.kpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.engine.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A {@link HookStepsListener} reads a node's netfilter steps from the node's verdict: the events
 * {@link TraceEvent#hooks()} makes are, line for line, the NODE_HOOK events a listener of every
 * point gets, in the same place of the packet's path; it gets no NODE_HOOK event itself, and
 * without one the model makes none.
 */
class HookStepsTest {

    private static final class Steps implements HookStepsListener {
        final List<String> lines = new ArrayList<>();
        int hookEvents;
        int verdictsWithSteps;

        @Override
        public void onEvent(TraceEvent e) {
            if (e.point() == TracePoint.NODE_HOOK) {
                hookEvents++;
            }
            if (e.hasHooks()) {
                verdictsWithSteps++;
            }
            for (TraceEvent h : e.hooks()) {
                lines.add(h.line());
            }
            lines.add(e.line());
        }
    }

    @Test
    void theStepsWithAVerdictAreTheHookEventsLineForLine() {
        Cluster c = BlogClusters.boom(3, KernelProfile.V4_19, Map.of(), false);
        List<String> every = new ArrayList<>();
        c.addTraceListener(e -> every.add(e.line()));
        Steps steps = new Steps();
        c.addTraceListener(steps);
        c.run(Durations.seconds(2));
        assertEquals(0, steps.hookEvents, "a hook-steps listener is handed no NODE_HOOK event");
        assertTrue(steps.verdictsWithSteps >= 10, "verdicts with steps: " + steps.verdictsWithSteps);
        assertTrue(every.stream().anyMatch(l -> l.contains("NODE_HOOK")), "the other listener gets hook events");
        assertEquals(every, steps.lines);
    }

    @Test
    void withoutAListenerOfHooksTheModelMakesNone() {
        Cluster c = BlogClusters.boom(3, KernelProfile.V4_19, Map.of(), false);
        Steps steps = new Steps();
        c.addTraceListener(steps);
        c.run(Durations.seconds(1));
        assertTrue(c.tracer().on());
        assertFalse(c.tracer().wants(TracePoint.NODE_HOOK));
        assertTrue(steps.verdictsWithSteps > 0);
    }
}
