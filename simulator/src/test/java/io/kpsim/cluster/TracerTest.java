package io.kpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tracer hands each event to the listeners of its point only, in the order they were added. */
class TracerTest {

    private static TraceEvent at(TracePoint point) {
        return new TraceEvent(0, 1, point, "x", null, null, null, null, null, null);
    }

    @Test
    void eachListenerGetsItsPointsInTheOrderTheListenersWereAdded() {
        List<String> calls = new ArrayList<>();
        Tracer tracer = new Tracer();
        tracer.add(e -> calls.add("all " + e.point()));
        tracer.add(new TraceListener() {
            @Override
            public void onEvent(TraceEvent e) {
                calls.add("pods " + e.point());
            }

            @Override
            public Set<TracePoint> points() {
                return EnumSet.of(TracePoint.POD_SEND, TracePoint.POD_RECEIVE);
            }
        });
        tracer.add(e -> calls.add("last " + e.point()));
        for (TracePoint p : List.of(TracePoint.POD_SEND, TracePoint.NODE_HOOK, TracePoint.POD_RECEIVE)) {
            tracer.emit(at(p));
        }
        assertEquals(
                List.of(
                        "all POD_SEND",
                        "pods POD_SEND",
                        "last POD_SEND",
                        "all NODE_HOOK",
                        "last NODE_HOOK",
                        "all POD_RECEIVE",
                        "pods POD_RECEIVE",
                        "last POD_RECEIVE"),
                calls);
    }
}
