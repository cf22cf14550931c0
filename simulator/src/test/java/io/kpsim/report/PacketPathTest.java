package io.kpsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.conntrack.CtState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The facts a path keeps as it grows are the ones a walk over its events finds. */
class PacketPathTest {

    private static TraceEvent event(TracePoint point, String where, CtState state) {
        return new TraceEvent(1_000, 7, point, where, null, state, null, null, null, null);
    }

    @Test
    void keepsTheLastNodeVerdictAndCountsInvalidOnes() {
        PacketPath p = new PacketPath(2); // grows past its first capacity
        assertNull(p.lastNodeEvent());
        assertNull(p.last());
        p.add(event(TracePoint.POD_SEND, "client", null));
        p.add(event(TracePoint.NODE_HOOK, "node-a", CtState.INVALID)); // a hook step is no verdict
        TraceEvent first = event(TracePoint.NODE_ROUTE, "node-a", CtState.INVALID);
        p.add(first);
        assertSame(first, p.lastNodeEvent());
        TraceEvent second = event(TracePoint.NODE_ROUTE, "node-b", CtState.ESTABLISHED);
        p.add(second);
        TraceEvent delivered = event(TracePoint.POD_RECEIVE, "server", null);
        p.add(delivered);
        assertSame(second, p.lastNodeEvent());
        assertSame(delivered, p.last());
        assertEquals(1, p.invalidVerdicts());
        assertEquals(5, p.size());
        assertEquals("node-b", p.get(3).where());
    }

    @Test
    void aCopiedListGetsTheSameFactsAndClearForgetsThem() {
        List<TraceEvent> events = new ArrayList<>();
        events.add(event(TracePoint.POD_SEND, "client", null));
        events.add(event(TracePoint.NODE_DROP, "node-a", CtState.INVALID));
        PacketPath p = PacketPath.of(events);
        assertEquals(events, p);
        assertSame(p, PacketPath.of(p));
        assertEquals(1, p.invalidVerdicts());
        assertSame(events.get(1), p.lastNodeEvent());
        p.clear();
        assertEquals(0, p.size());
        assertEquals(0, p.invalidVerdicts());
        assertNull(p.lastNodeEvent());
        assertThrows(IndexOutOfBoundsException.class, () -> p.get(0));
    }

    @Test
    void refusesChangesThatWouldOutdateItsFacts() {
        PacketPath p = PacketPath.of(List.of(event(TracePoint.NODE_ROUTE, "node-a", CtState.INVALID)));
        assertThrows(UnsupportedOperationException.class, () -> p.remove(0));
        assertThrows(UnsupportedOperationException.class, () -> p.set(0, event(TracePoint.POD_SEND, "x", null)));
        assertEquals(1, p.invalidVerdicts());
    }
}
