package io.kpsim.report;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TraceListener;
import io.kpsim.cluster.TracePoint;
import io.kpsim.conntrack.CtState;
import io.kpsim.replay.KeyTable;
import java.util.ArrayList;
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
 * learns late, at the receiving stack. So each event goes into one sequential ring of recent
 * hops, linked to the same packet's previous hop, and a packet's path is put together from the
 * ring only when asked for. A packet still on its way whose oldest hop would be overwritten is
 * copied out of the ring first (a held-back or long-queued packet), so a path asked for is always
 * whole.
 *
 * <p>A packet's facts are found by its id in a direct-mapped table (ids are sequential, so the
 * packets in flight nearly always have slots of their own); a straggler whose slot a newer packet
 * needs moves to a small hash table.
 *
 * <p>A copy made by a link's duplication shares its original's id; when one copy has finished,
 * the other's remaining hops start a new path.
 */
final class PacketPaths implements TraceListener {

    /**
     * Hops the ring holds. A packet waiting in a full link queue outlives it (1,000 packets queued
     * at 1 Gbit/s make some 20,000 hops meanwhile) and is copied out; a larger ring keeps that many
     * events alive through the young collections, which then promote them (a ring of 65,536 took a
     * 1,000-download run from 100 to 450 MB).
     */
    static final int RING = 1 << 13;

    /** Slots of the direct-mapped table of packets: far more than are in flight at once. */
    static final int SLOTS = 1 << 13;

    /** One packet's bookkeeping, reused for the packets that share its slot in turn. */
    static final class Facts {
        long id = -1;
        /** The ring position of the packet's last hop, or -1 (none yet, or copied out: {@link #copied}). */
        long lastHop = -1;
        /** The ring position of the path's first hop. */
        long firstHop;

        boolean finished;
        TraceEvent first;
        /** The last NODE_ROUTE or NODE_DROP event, or {@code null}. */
        TraceEvent lastNode;
        /** The first NODE_ROUTE or NODE_DROP event with ctstate INVALID, or {@code null}. */
        TraceEvent firstInvalid;
        /** NODE_ROUTE and NODE_DROP events with ctstate INVALID: one per node that marked the packet. */
        int invalidVerdicts;
        /** The path, once copied out of the ring, or {@code null}. */
        List<TraceEvent> copied;

        void start(long packetId) {
            id = packetId;
            lastHop = -1;
            finished = false;
            first = null;
            lastNode = null;
            firstInvalid = null;
            invalidVerdicts = 0;
            copied = null;
        }
    }

    private final EndpointViews views;
    private final StoryFinder stories;
    private final FateCounter fates;

    private final int ringMask;
    private final TraceEvent[] hops;
    /** The packet id of each hop in the ring. */
    private final long[] hopIds;
    /** The ring position of the same path's previous hop, or -1. */
    private final long[] before;
    /** The ring position the next hop takes (only grows; its low bits index the ring). */
    private long next;

    private final int slotMask;
    private final Facts[] slots;
    /** Packets moved out of their slot by a newer one while still on their way, by id. */
    private final KeyTable<Facts> stragglers = new KeyTable<>(64);
    /** The last finished packet whose path was copied out of the ring, or {@code null}. */
    private Facts lastCopied;
    /** The facts that took the last event, or {@code null}. */
    private Facts last;
    /** The path of a packet id, put together when the story finder asks for it. */
    private final LongFunction<List<TraceEvent>> pathOf = this::path;

    /** Paths go to the three analyses of a run. */
    PacketPaths(EndpointViews views, StoryFinder stories, FateCounter fates) {
        this(views, stories, fates, RING, SLOTS);
    }

    /** With a ring of {@code ring} hops and {@code slots} slots, each a power of two (tests use small ones). */
    PacketPaths(EndpointViews views, StoryFinder stories, FateCounter fates, int ring, int slots) {
        if (Integer.bitCount(ring) != 1 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("ring " + ring + " and slots " + slots + ": powers of two expected");
        }
        this.views = views;
        this.stories = stories;
        this.fates = fates;
        ringMask = ring - 1;
        hops = new TraceEvent[ring];
        hopIds = new long[ring];
        before = new long[ring];
        slotMask = slots - 1;
        this.slots = new Facts[slots];
        for (int i = 0; i < slots; i++) {
            this.slots[i] = new Facts();
        }
    }

    @Override
    public void onEvent(TraceEvent e) {
        views.event(e);
        stories.event(e);
        long id = e.packetId();
        TracePoint point = e.point();
        if (point == TracePoint.SOCKET) {
            Facts f = id < 0 ? null : find(id);
            if (f != null) {
                append(f, e);
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
            f.first = e;
        }
        if (point == TracePoint.NODE_ROUTE || point == TracePoint.NODE_DROP) {
            f.lastNode = e;
            if (e.ctState() == CtState.INVALID) {
                f.invalidVerdicts++;
                if (f.firstInvalid == null) {
                    f.firstInvalid = e;
                }
            }
        }
        append(f, e);
        last = f;
        if (terminal(point)) {
            f.finished = true;
            if (f != slots[(int) id & slotMask]) {
                stragglers.remove(id); // the facts stay reachable through last for the socket events
            }
            fates.finished(id, f.first, f.lastNode, f.invalidVerdicts, f.firstInvalid, point);
            release(f);
        }
    }

    /**
     * Lets a finished packet's events go: its facts were counted, and only the socket events that
     * follow its delivery still ask for its path, before any other packet finishes. A table of
     * finished facts holding their events (and copied paths) kept some 100,000 events alive, which
     * the young collections then promoted.
     */
    private void release(Facts f) {
        f.first = null;
        f.lastNode = null;
        f.firstInvalid = null;
        if (lastCopied != null && lastCopied != f && lastCopied.finished) {
            lastCopied.copied = null; // its path is gone: path() answers null rather than a part
        }
        lastCopied = f.copied != null ? f : null;
    }

    /** The facts of packet {@code id}, or {@code null}. */
    private Facts find(long id) {
        Facts f = slots[(int) id & slotMask];
        if (f.id == id) {
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
        if (f.id >= 0 && !f.finished) {
            stragglers.put(f.id, f);
            f = new Facts();
            slots[i] = f;
        }
        return f;
    }

    /** Adds {@code e} to its packet's path: into the ring, or to the copy once the path left it. */
    private void append(Facts f, TraceEvent e) {
        if (f.copied != null) {
            f.copied.add(e);
            return;
        }
        long at = next;
        int i = (int) at & ringMask;
        if (at > ringMask) {
            evict(i, at - hops.length);
            if (f.copied != null) { // the hop it had to make room for was this packet's own first
                f.copied.add(e);
                return;
            }
        }
        next = at + 1;
        if (f.lastHop < 0) {
            f.firstHop = at;
        }
        hops[i] = e;
        hopIds[i] = f.id;
        before[i] = f.lastHop;
        f.lastHop = at;
    }

    /**
     * Before ring position {@code old} (index {@code i}) is overwritten: copies out a path still on
     * its way. Only a path's first hop needs the check: a path's hops leave the ring oldest first,
     * so when a later one goes, its path was copied out already or had finished.
     */
    private void evict(int i, long old) {
        if (before[i] >= 0) {
            return;
        }
        Facts g = find(hopIds[i]);
        if (g != null && !g.finished && g.copied == null && g.lastHop >= 0 && g.firstHop <= old) {
            g.copied = fromRing(g.lastHop);
            g.lastHop = -1;
        }
    }

    /** The path ending at ring position {@code at}, oldest first, or {@code null} if the ring lost part of it. */
    private List<TraceEvent> fromRing(long at) {
        int n = 0;
        for (long p = at; p >= 0; p = before[(int) p & ringMask]) {
            if (p < next - hops.length) {
                return null; // overwritten: only a finished packet's, long after its end
            }
            n++;
        }
        TraceEvent[] events = new TraceEvent[n];
        for (long p = at; p >= 0; p = before[(int) p & ringMask]) {
            events[--n] = hops[(int) p & ringMask];
        }
        List<TraceEvent> list = new ArrayList<>(events.length + 8);
        for (TraceEvent e : events) {
            list.add(e);
        }
        return list;
    }

    /**
     * A fresh copy of packet {@code id}'s path (the latest, for an id whose copies finished apart),
     * or {@code null} when no path of that id is known whole.
     */
    List<TraceEvent> path(long id) {
        Facts f = find(id);
        if (f == null) {
            return null;
        }
        return f.copied != null ? new ArrayList<>(f.copied) : f.lastHop < 0 ? null : fromRing(f.lastHop);
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
