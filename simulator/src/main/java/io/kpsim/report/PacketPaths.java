package io.kpsim.report;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TraceListener;
import io.kpsim.cluster.TracePoint;
import io.kpsim.conntrack.CtState;
import io.kpsim.replay.KeyTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Groups a run's trace into packet paths: every event of one packet id, from the pod that sent
 * it to the pod that received it (or the place that dropped it), followed by what the receiving
 * TCP stack did with it, and feeds the analyses. Memory stays bounded by what is on the wires,
 * however long the run.
 *
 * <p>Nearly every path is never read as a whole: the fate counter needs four facts of each
 * finished packet (its first event, its last node verdict, how many nodes marked it INVALID and
 * the first that did), kept as the events arrive, and the story finder needs the whole path of
 * only a few packets (a segment a pod had no socket for, the RST that answered it), which it
 * learns late, at the receiving stack, and asks for at once: the stack's socket events for a
 * packet come while the pod receives it, before any other packet finishes (a packet the stack
 * sends meanwhile, delivered at once on the same node, ends the pod's packet: its later socket
 * events carry no packet id). So a packet's hops are kept in its own list while it is on its way
 * and until the next packet finishes, and then let go; no event outlives that, and no later hop
 * has to look back at an earlier packet's (session 7 kept a ring of recent hops, which had to
 * check every overwritten hop's packet and copy out the paths of packets still queued).
 *
 * <p>A node's netfilter steps (more than half of a run's events) come with the node's verdict
 * ({@link TraceEvent#hooks()}), so a path holds one event per node crossed and the NODE_HOOK
 * events are made only for a path that is asked for; likewise a link's hop (its LINK_SEND and
 * LINK_DELIVER events) comes with the verdict or the pod's receipt at its far end
 * ({@link TraceEvent#linkHops()}), so a packet between two pods is handed four events, not ten.
 *
 * <p>A packet's facts are found by its id in a direct-mapped table (ids are sequential, so the
 * packets in flight nearly always have slots of their own); a straggler whose slot a newer packet
 * needs moves to a small hash table. The facts themselves (and their hop lists) are taken from a
 * stack of those let go, the latest first, so a new packet writes to memory the packet before it
 * just used rather than to its slot's facts of thousands of packets ago (a cache miss per packet).
 *
 * <p>A copy made by a link's duplication shares its original's id; when one copy has finished,
 * the other's remaining hops start a new path.
 */
final class PacketPaths implements TraceListener {

    /** Slots of the direct-mapped table of packets: far more than are in flight at once. */
    static final int SLOTS = 1 << 13;

    /**
     * Hops a packet's list has room for at first; it grows for longer paths and keeps its size. A
     * packet between two pods is handed four events (its send, two node verdicts, its receipt), and
     * the lists of every packet on its way are touched again at each of its hops, so a list of one
     * cache line (8 references and the array's header) rather than three.
     */
    private static final int HOPS = 8;

    /** One packet's bookkeeping and hops, reused for the packets that share its slot in turn. */
    static final class Facts {
        long id = -1;
        boolean finished;
        TraceEvent first;
        /** The last NODE_ROUTE or NODE_DROP event, or {@code null}. */
        TraceEvent lastNode;
        /** The first NODE_ROUTE or NODE_DROP event with ctstate INVALID, or {@code null}. */
        TraceEvent firstInvalid;
        /** NODE_ROUTE and NODE_DROP events with ctstate INVALID: one per node that marked the packet. */
        int invalidVerdicts;
        /** Whether the path began with a forged packet ({@code POD_INJECT}). */
        boolean forged;
        /** Whether the last node event had a ctstate and a reason (a packet a 6.1+ conntrack ignored). */
        boolean lastNodeNoted;
        /** The path so far, oldest first: {@code hops[0..count)}. */
        TraceEvent[] hops;

        int count;
        /** Whether the finished path was let go (another packet finished since): no path, rather than part of one. */
        boolean gone;

        void start(long packetId) {
            id = packetId;
            finished = false;
            first = null;
            lastNode = null;
            firstInvalid = null;
            invalidVerdicts = 0;
            forged = false;
            lastNodeNoted = false;
            forget();
            gone = false;
        }

        void add(TraceEvent e) {
            if (hops == null) {
                hops = new TraceEvent[HOPS];
            } else if (count == hops.length) {
                hops = Arrays.copyOf(hops, count * 2);
            }
            hops[count++] = e;
        }

        /** Lets the path's events go. */
        void forget() {
            if (count > 0) {
                Arrays.fill(hops, 0, count, null);
                count = 0;
            }
        }
    }

    private final EndpointViews views;
    private final StoryFinder stories;
    private final FateCounter fates;

    private final int slotMask;
    /** The facts of the packet whose id maps to each slot, or {@code null}. */
    private final Facts[] slots;
    /** Facts let go ({@link #release}), reused last in, first out: {@code free[0..freeCount)}. */
    private Facts[] free = new Facts[64];

    private int freeCount;
    /** Facts made so far: about the most packets on their way at once, however long the run (tests). */
    private int made;
    /** Packets moved out of their slot by a newer one while still on their way, by id. */
    private final KeyTable<Facts> stragglers = new KeyTable<>(64);
    /** The facts that took the last event, or {@code null}. */
    private Facts last;
    /** The last packet that finished, whose path the socket events that follow may still ask for, or {@code null}. */
    private Facts lastFinished;
    /** The path of a packet id, put together when the story finder asks for it. */
    private final LongFunction<List<TraceEvent>> pathOf = this::path;

    /** Paths go to the three analyses of a run. */
    PacketPaths(EndpointViews views, StoryFinder stories, FateCounter fates) {
        this(views, stories, fates, SLOTS);
    }

    /** With {@code slots} slots, a power of two (tests use small ones). */
    PacketPaths(EndpointViews views, StoryFinder stories, FateCounter fates, int slots) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots " + slots + ": a power of two expected");
        }
        this.views = views;
        this.stories = stories;
        this.fates = fates;
        slotMask = slots - 1;
        this.slots = new Facts[slots];
    }

    @Override
    public void onEvent(TraceEvent e) {
        views.event(e);
        stories.event(e);
        long id = e.packetId();
        TracePoint point = e.point();
        if (point == TracePoint.SOCKET) {
            Facts f = id < 0 ? null : find(id);
            if (f != null && !f.gone) {
                f.add(e);
            }
            stories.socket(e, f == null ? null : pathOf);
            fates.socket(e, f != null);
            return;
        }
        if (id < 0) {
            return;
        }
        Facts f = last != null && last.id == id ? last : find(id);
        if (f == null) {
            f = claim(id);
            f.start(id);
        } else if (f.finished) {
            f.start(id); // a duplicate's other copy: a new path
            if (f != slots[(int) id & slotMask]) {
                stragglers.put(id, f); // a straggler's copy: found again by its id until it finishes
            }
        }
        if (f.first == null) {
            f.first = e; // its opening(): the hop or the steps that came with it, if any, made when counted
            f.forged = point == TracePoint.POD_INJECT;
        }
        if (point == TracePoint.NODE_ROUTE || point == TracePoint.NODE_DROP) {
            f.lastNode = e;
            CtState state = e.ctState();
            f.lastNodeNoted = state != null && e.reason() != null;
            if (state == CtState.INVALID) {
                f.invalidVerdicts++;
                if (f.firstInvalid == null) {
                    f.firstInvalid = e;
                }
            }
        }
        f.add(e);
        last = f;
        if (terminal(point)) {
            f.finished = true;
            if (f != slots[(int) id & slotMask]) {
                stragglers.remove(id); // the facts stay reachable through last for the socket events
            }
            if (f.invalidVerdicts > 0 || f.forged || f.lastNodeNoted) {
                // the others (nearly every packet: never INVALID, not forged, not ignored) change no count
                fates.finished(id, opening(f.first), f.lastNode, f.invalidVerdicts, f.firstInvalid, point);
            }
            release(f);
        }
    }

    /**
     * Whether the stack's reaction to packet {@code id} is read whatever it is: the story has its
     * RST and adds what the stack does with the RST's copies, or the fate counter awaits it.
     */
    boolean follows(long id) {
        return stories.follows(id) || fates.awaited(id);
    }

    /**
     * Lets the previous finished packet's events go, and this one's facts: they were counted, and
     * only the socket events that follow this packet's delivery still ask for its path, before any
     * other packet finishes. A table of finished facts holding their events kept some 100,000
     * events alive, which the young collections then promoted.
     */
    private void release(Facts f) {
        f.first = null;
        f.lastNode = null;
        f.firstInvalid = null;
        Facts before = lastFinished;
        if (before != null && before != f && before.finished && !before.gone) {
            before.forget();
            before.gone = true;
            // no event asks for a gone path: its facts serve the next new packet (found no more by the
            // id, which a gone path answered as no path: a later copy of it starts a new one either way)
            int i = (int) before.id & slotMask;
            if (slots[i] == before) {
                slots[i] = null;
                if (freeCount == free.length) {
                    free = Arrays.copyOf(free, freeCount * 2);
                }
                free[freeCount++] = before;
            }
        }
        lastFinished = f;
    }

    /** How many packets' facts were made (the others reused those let go). */
    int factsMade() {
        return made;
    }

    /** The facts of packet {@code id}, or {@code null}. */
    private Facts find(long id) {
        Facts f = slots[(int) id & slotMask];
        if (f != null && f.id == id) {
            return f;
        }
        if (last != null && last.id == id) {
            return last;
        }
        return stragglers.size() == 0 ? null : stragglers.get(id);
    }

    /** A slot for a new packet; a packet still on its way there moves to the stragglers. */
    private Facts claim(long id) {
        int i = (int) id & slotMask;
        Facts f = slots[i];
        if (f != null && f.id >= 0 && !f.finished) {
            stragglers.put(f.id, f);
            f = null;
        }
        if (f == null) {
            if (freeCount > 0) {
                f = free[--freeCount];
            } else {
                f = new Facts();
                made++;
            }
            free[freeCount] = null;
            slots[i] = f;
        }
        return f;
    }

    /**
     * A fresh copy of packet {@code id}'s path (the latest, for an id whose copies finished apart),
     * or {@code null} when no path of that id is known whole: none was seen, or it finished before
     * the last packet that finished and was let go.
     */
    List<TraceEvent> path(long id) {
        Facts f = find(id);
        if (f == null || f.gone || f.count == 0) {
            return null;
        }
        List<TraceEvent> list = new ArrayList<>(f.count * 4 + 8);
        for (int i = 0; i < f.count; i++) {
            TraceEvent e = f.hops[i];
            if (e.hasLinkHops()) {
                list.addAll(e.linkHops()); // the link that brought the packet, before the node's steps
            }
            if (e.hasHooks()) {
                list.addAll(e.hooks()); // the node's steps, which came before its verdict
            }
            list.add(e);
        }
        return list;
    }

    /**
     * The first event of a path whose first handed event is {@code e}: the LINK_SEND of the hop it
     * came with (a packet a node sent, e.g. a REJECT's reset), else its node's first netfilter step
     * (a packet a node's own stack sent), else {@code e}.
     */
    static TraceEvent opening(TraceEvent e) {
        if (e.hasLinkHops()) {
            return e.linkHops().get(0);
        }
        return e.hasHooks() ? e.hooks().get(0) : e;
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
