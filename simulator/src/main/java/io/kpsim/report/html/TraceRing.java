package io.kpsim.report.html;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The last events of a run that a ladder can be drawn from (sends, node verdicts, deliveries,
 * losses and the stacks' reactions; not the per-hook and per-link steps), in a fixed-size ring:
 * memory stays the same however long the run, and keeping an event is one array store. When the
 * interesting packet shows up, the context before it is read back from here. The conntrack entries
 * beside the events are kept as numbers ({@link PackedChanges}), so that the collector, which finds
 * the ring's last events alive at every young collection, has only the events to copy.
 */
final class TraceRing {

    private final TraceEvent[] events;
    private final PackedChanges changes;
    private int next;
    private int size;

    TraceRing(int capacity) {
        events = new TraceEvent[capacity];
        changes = new PackedChanges(capacity);
    }

    /** Whether a ladder or plot can use events at {@code point}. */
    static boolean kept(TracePoint point) {
        return switch (point) {
            case POD_SEND, POD_INJECT, NODE_ROUTE, NODE_DROP, POD_RECEIVE, LINK_LOSS, LINK_QUEUE_DROP, SOCKET -> true;
            case LINK_SEND, LINK_DUPLICATE, LINK_HOLD_BACK, LINK_DELIVER, NODE_HOOK -> false;
        };
    }

    /** Keeps {@code e} with {@code change} (or none). */
    void add(TraceEvent e, CtChange change) {
        changes.put(add(e), change);
    }

    /**
     * Keeps {@code e} with no change yet and returns its slot in {@link #changes()}, where the
     * caller may put the event's change.
     */
    int add(TraceEvent e) {
        int slot = next;
        events[slot] = e;
        changes.clear(slot);
        next = slot + 1 == events.length ? 0 : slot + 1;
        size = Math.min(size + 1, events.length);
        return slot;
    }

    /** The conntrack changes beside the events, by slot. */
    PackedChanges changes() {
        return changes;
    }

    /** The kept events, oldest first, with their conntrack changes (same positions). */
    void copyTo(List<TraceEvent> out, List<CtChange> outChanges) {
        int start = (next - size + events.length) % events.length;
        for (int i = 0; i < size; i++) {
            int at = (start + i) % events.length;
            out.add(events[at]);
            outChanges.add(changes.get(at));
        }
    }

    /** The kept events, oldest first. */
    List<TraceEvent> events() {
        List<TraceEvent> out = new ArrayList<>(size);
        copyTo(out, new ArrayList<>(size));
        return out;
    }
}
