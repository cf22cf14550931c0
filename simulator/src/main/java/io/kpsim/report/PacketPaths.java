package io.kpsim.report;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TraceListener;
import io.kpsim.cluster.TracePoint;
import io.kpsim.replay.KeyTable;
import java.util.ArrayDeque;

/**
 * Groups a run's trace into packet paths: every event of one packet id, from the pod that sent
 * it to the pod that received it (or the place that dropped it), followed by what the receiving
 * TCP stack did with it. Paths of packets still in flight are kept; finished ones are handed to
 * the analyses and kept only briefly (for the socket events that follow a delivery), so memory
 * stays bounded by what is on the wires, however long the run.
 *
 * <p>The three analyses are called directly, each only for what it reads: the endpoint views
 * and the story finder see every event, the fate counter every finished path, the story finder
 * and the fate counter every socket event. (A list of sinks behind one interface made each event
 * cost nine megamorphic calls, most of them to empty methods.)
 *
 * <p>A copy made by a link's duplication shares its original's id; when one copy has finished,
 * the other's remaining hops start a new path.
 */
final class PacketPaths implements TraceListener {

    /**
     * How many finished paths stay reachable for the socket events that follow them. A pod's stack
     * reports on a packet while it receives it, right after the packet's last event and before the
     * next link delivers anything ({@code Pod.receive}), so the latest path would do; a few more
     * cost nothing. Keeping a thousand, as this once did, kept their events alive through the
     * young collections, which copied them to the old generation.
     */
    static final int RECENT = 16;

    /** Emptied paths kept for reuse: about what a burst of sends puts in flight at once. */
    private static final int SPARE = 1024;

    /** Room for a whole path without growing: about 22 events cross two nodes with their hook steps. */
    private static final int PATH_CAPACITY = 32;

    private final EndpointViews views;
    private final StoryFinder stories;
    private final FateCounter fates;
    /** Paths of packets on their way, by packet id (no boxed ids: this runs for every event). */
    private final KeyTable<PacketPath> inFlight = new KeyTable<>(1024);
    /** The last {@link #RECENT} finished paths, by packet id; {@link #recentIds} says which came first. */
    private final KeyTable<PacketPath> recent = new KeyTable<>(RECENT);
    /**
     * Emptied paths to reuse: a run finishes a path per packet, and reusing them keeps the
     * narration's bookkeeping in cache instead of allocating (and missing) a fresh array each time.
     */
    private final ArrayDeque<PacketPath> spare = new ArrayDeque<>();

    /**
     * The in-flight path that took the last event, and its packet id (-1 for none): a packet's hook
     * steps, route and next link send come one after the other, so most events skip the lookup.
     */
    private long lastId = -1;

    private PacketPath lastPath;
    /** The ids in {@link #recent}, oldest at {@link #recentHead}: a ring of {@link #recentCount}. */
    private final long[] recentIds = new long[RECENT];

    private int recentHead;
    private int recentCount;

    /** Paths go to the three analyses of a run. */
    PacketPaths(EndpointViews views, StoryFinder stories, FateCounter fates) {
        this.views = views;
        this.stories = stories;
        this.fates = fates;
    }

    @Override
    public void onEvent(TraceEvent e) {
        views.event(e);
        stories.event(e);
        long id = e.packetId();
        TracePoint point = e.point();
        if (id < 0) {
            if (point == TracePoint.SOCKET) {
                stories.socket(e, null);
                fates.socket(e, null);
            }
            return;
        }
        if (point == TracePoint.SOCKET) {
            PacketPath path = recent.get(id);
            if (path == null) {
                path = inFlight.get(id);
            }
            if (path != null) {
                path.add(e);
            }
            stories.socket(e, path);
            fates.socket(e, path);
            return;
        }
        PacketPath path = id == lastId ? lastPath : inFlight.get(id);
        if (path == null) {
            path = spare.isEmpty() ? new PacketPath(PATH_CAPACITY) : spare.pop();
            inFlight.put(id, path);
        }
        path.add(e);
        lastId = id;
        lastPath = path;
        if (terminal(point)) {
            lastId = -1;
            lastPath = null;
            inFlight.remove(id);
            finish(id, path);
            fates.finished(id, path);
        }
    }

    /** Keeps {@code path} among the recent ones, forgetting the oldest beyond {@link #RECENT}. */
    private void finish(long id, PacketPath path) {
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

    /** Empties a path that left the recent ones for reuse, unless the story holds it. */
    private void recycle(PacketPath path) {
        if (path != null && !stories.holds(path) && spare.size() < SPARE) {
            path.clear();
            spare.push(path);
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
