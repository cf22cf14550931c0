package io.kpsim.report;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TraceListener;
import io.kpsim.cluster.TracePoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups a run's trace into packet paths: every event of one packet id, from the pod that sent
 * it to the pod that received it (or the place that dropped it), followed by what the receiving
 * TCP stack did with it. Paths of packets still in flight are kept; finished ones are handed to
 * the {@link Sink}s and kept only briefly (for the socket events that follow a delivery), so
 * memory stays bounded by what is on the wires, however long the run.
 *
 * <p>A copy made by a link's duplication shares its original's id; when one copy has finished,
 * the other's remaining hops start a new path.
 */
public final class PacketPaths implements TraceListener {

    /** How many finished paths stay reachable for the socket events that follow them. */
    static final int RECENT = 1024;

    /** Room for a whole path without growing: about 22 events cross two nodes with their hook steps. */
    private static final int PATH_CAPACITY = 32;

    /** What the analyses built on the paths implement. */
    public interface Sink {

        /** A packet's path is complete: it reached a pod, or was dropped or lost. */
        void finished(long packetId, List<TraceEvent> path);

        /**
         * A TCP stack acted on a socket; {@code path} is the path of the packet that caused it
         * (already {@link #finished}), or {@code null} for an action no packet caused (a timer).
         */
        void socket(TraceEvent event, List<TraceEvent> path);

        /** Every event, before it is grouped (for per-connection views). */
        default void event(TraceEvent event) {}

        /**
         * Whether this sink still holds {@code path} itself (not a copy) when the path leaves the
         * recent ones; a path nobody holds is emptied and reused for a later packet.
         */
        default boolean holds(List<TraceEvent> path) {
            return false;
        }
    }

    private final List<Sink> sinks;
    /** Paths of packets on their way, by packet id (no boxed ids: this runs for every event). */
    private final LongTable<List<TraceEvent>> inFlight = new LongTable<>(1024);
    /** The last {@link #RECENT} finished paths, by packet id; {@link #recentIds} says which came first. */
    private final LongTable<List<TraceEvent>> recent = new LongTable<>(RECENT);
    /**
     * Emptied paths to reuse: a run finishes a path per packet, and reusing the last thousand keeps
     * the narration's bookkeeping in cache instead of allocating (and missing) a fresh array each time.
     */
    private final ArrayDeque<ArrayList<TraceEvent>> spare = new ArrayDeque<>();

    /**
     * The in-flight path that took the last event, and its packet id (-1 for none): a packet's hook
     * steps, route and next link send come one after the other, so most events skip the lookup.
     */
    private long lastId = -1;

    private List<TraceEvent> lastPath;
    /** The ids in {@link #recent}, oldest at {@link #recentHead}: a ring of {@link #recentCount}. */
    private final long[] recentIds = new long[RECENT];

    private int recentHead;
    private int recentCount;

    /** Paths go to {@code sinks}, in this order. */
    public PacketPaths(List<Sink> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    @Override
    public void onEvent(TraceEvent e) {
        for (int i = 0; i < sinks.size(); i++) {
            sinks.get(i).event(e);
        }
        if (e.packetId() < 0) {
            if (e.point() == TracePoint.SOCKET) {
                for (int i = 0; i < sinks.size(); i++) {
                    sinks.get(i).socket(e, null);
                }
            }
            return;
        }
        long id = e.packetId();
        if (e.point() == TracePoint.SOCKET) {
            List<TraceEvent> path = recent.get(id);
            if (path == null) {
                path = inFlight.get(id);
            }
            if (path != null) {
                path.add(e);
            }
            for (int i = 0; i < sinks.size(); i++) {
                sinks.get(i).socket(e, path);
            }
            return;
        }
        List<TraceEvent> path = id == lastId ? lastPath : inFlight.get(id);
        if (path == null) {
            path = spare.isEmpty() ? new ArrayList<>(PATH_CAPACITY) : spare.pop();
            inFlight.put(id, path);
        }
        path.add(e);
        lastId = id;
        lastPath = path;
        if (terminal(e.point())) {
            lastId = -1;
            lastPath = null;
            inFlight.remove(id);
            finish(id, path);
            for (int i = 0; i < sinks.size(); i++) {
                sinks.get(i).finished(e.packetId(), path);
            }
        }
    }

    /** Keeps {@code path} among the recent ones, forgetting the oldest beyond {@link #RECENT}. */
    private void finish(long id, List<TraceEvent> path) {
        if (recent.get(id) != null) {
            recent.put(id, path); // a duplicate's copy finished too: its place in the order stays
            return;
        }
        if (recentCount == RECENT) {
            recycle(recent.remove(recentIds[recentHead]));
            recentIds[recentHead] = id;
            recentHead = (recentHead + 1) % RECENT;
        } else {
            recentIds[(recentHead + recentCount) % RECENT] = id;
            recentCount++;
        }
        recent.put(id, path);
    }

    /** Empties a path that left the recent ones for reuse, unless a sink holds it. */
    private void recycle(List<TraceEvent> path) {
        for (int i = 0; i < sinks.size(); i++) {
            if (sinks.get(i).holds(path)) {
                return;
            }
        }
        if (path instanceof ArrayList<TraceEvent> list && spare.size() < RECENT) {
            list.clear();
            spare.push(list);
        }
    }

    /** Whether a packet's journey ends at this point. */
    static boolean terminal(TracePoint point) {
        switch (point) {
            case POD_RECEIVE:
            case NODE_DROP:
            case LINK_LOSS:
            case LINK_QUEUE_DROP:
                return true;
            case POD_SEND:
            case POD_INJECT:
            case LINK_SEND:
            case LINK_DUPLICATE:
            case LINK_HOLD_BACK:
            case LINK_DELIVER:
            case NODE_HOOK:
            case NODE_ROUTE:
            case SOCKET:
                return false;
            default:
                throw new IllegalStateException("unhandled trace point " + point);
        }
    }

    /** The pod name of a trace event's {@code where} ({@code "client 10.244.1.2:3456<->..."} -> {@code client}). */
    static String podOf(TraceEvent e) {
        String w = e.where();
        int space = w.indexOf(' ');
        return space < 0 ? w : w.substring(0, space);
    }
}
