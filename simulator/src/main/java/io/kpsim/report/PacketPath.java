package io.kpsim.report;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.conntrack.CtState;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

/**
 * One packet's path, its trace events in order, with the two facts {@link FateCounter} asks of
 * every finished path kept as the events arrive: which event was the last node's verdict (ROUTE or
 * DROP), and how many nodes marked the packet INVALID. Reading them afterwards would walk the
 * whole path again, whose early events have long left the cache by the time the packet arrives.
 *
 * <p>A list that only grows ({@link #add}) and is emptied for reuse ({@link #clear}); other
 * changes are refused, so the facts always describe the events.
 */
final class PacketPath extends AbstractList<TraceEvent> {

    private TraceEvent[] events;
    private int size;
    /** The index of the last NODE_ROUTE or NODE_DROP event, or -1. */
    private int lastNode = -1;
    /** ROUTE and DROP events whose ctstate was INVALID: one per node that marked the packet. */
    private int invalidVerdicts;

    /** An empty path with room for {@code capacity} events before it grows. */
    PacketPath(int capacity) {
        events = new TraceEvent[Math.max(1, capacity)];
    }

    /** A path of {@code events}, with its facts (tests, and paths not grouped by {@link PacketPaths}). */
    static PacketPath of(List<TraceEvent> events) {
        if (events instanceof PacketPath p) {
            return p;
        }
        PacketPath p = new PacketPath(events.size());
        for (TraceEvent e : events) {
            p.add(e);
        }
        return p;
    }

    @Override
    public boolean add(TraceEvent e) {
        if (size == events.length) {
            events = Arrays.copyOf(events, size * 2);
        }
        TracePoint point = e.point();
        if (point == TracePoint.NODE_ROUTE || point == TracePoint.NODE_DROP) {
            lastNode = size;
            if (e.ctState() == CtState.INVALID) {
                invalidVerdicts++;
            }
        }
        events[size++] = e;
        modCount++;
        return true;
    }

    @Override
    public TraceEvent get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " of a path of " + size + " events");
        }
        return events[index];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void clear() {
        Arrays.fill(events, 0, size, null);
        size = 0;
        lastNode = -1;
        invalidVerdicts = 0;
        modCount++;
    }

    /** The last node's ROUTE or DROP event, or {@code null} when the packet never left a node's hooks. */
    TraceEvent lastNodeEvent() {
        return lastNode < 0 ? null : events[lastNode];
    }

    /** How many nodes marked the packet INVALID (its ROUTE and DROP events with ctstate INVALID). */
    int invalidVerdicts() {
        return invalidVerdicts;
    }

    /** The last event, or {@code null} for an empty path. */
    TraceEvent last() {
        return size == 0 ? null : events[size - 1];
    }
}
