package io.kpsim.report.html;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The last events of a run that a ladder can be drawn from (sends, node verdicts, deliveries,
 * losses and the stacks' reactions; not the per-hook and per-link steps), in a fixed-size ring:
 * memory stays the same however long the run, and keeping an event is one array store. When the
 * interesting packet shows up, the context before it is read back from here.
 */
final class TraceRing {

    private final TraceEvent[] events;
    private final CtChange[] changes;
    private int next;
    private int size;

    TraceRing(int capacity) {
        events = new TraceEvent[capacity];
        changes = new CtChange[capacity];
    }

    /** Whether a ladder or plot can use events at {@code point}. */
    static boolean kept(TracePoint point) {
        return switch (point) {
            case POD_SEND, POD_INJECT, NODE_ROUTE, NODE_DROP, POD_RECEIVE, LINK_LOSS, LINK_QUEUE_DROP, SOCKET -> true;
            case LINK_SEND, LINK_DUPLICATE, LINK_HOLD_BACK, LINK_DELIVER, NODE_HOOK -> false;
        };
    }

    void add(TraceEvent e, CtChange change) {
        events[next] = e;
        changes[next] = change;
        next = (next + 1) % events.length;
        size = Math.min(size + 1, events.length);
    }

    /** The kept events, oldest first, with their conntrack changes (same positions). */
    void copyTo(List<TraceEvent> out, List<CtChange> outChanges) {
        int start = (next - size + events.length) % events.length;
        for (int i = 0; i < size; i++) {
            int at = (start + i) % events.length;
            out.add(events[at]);
            outChanges.add(changes[at]);
        }
    }

    /** The kept events, oldest first. */
    List<TraceEvent> events() {
        List<TraceEvent> out = new ArrayList<>(size);
        copyTo(out, new ArrayList<>(size));
        return out;
    }
}
