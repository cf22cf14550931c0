package io.kpsim.report.html;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.engine.Durations;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The events of one connection around one packet (the anchor): what the ring still held of the
 * connection when the anchor showed up, then what followed, for a bounded time and number of
 * events.
 */
final class Capture {

    /** Why the capture was taken. */
    enum Kind {
        /** The first reset's story: the anchor is the segment that escaped the reverse NAT. */
        STORY,
        /** The first packet a node's conntrack marked INVALID or ignored. */
        NOT_ACCEPTED,
        /** A packet id given in advance (the same packet in another run of the same seed). */
        GIVEN
    }

    /** How long a capture follows the connection at least. */
    static final long FOLLOW_NANOS = 20 * Durations.NANOS_PER_MILLI;
    /** How long after the client learned of the reset it still follows. */
    static final long AFTER_LEARNED_NANOS = Durations.NANOS_PER_MILLI;
    /** The most events a capture keeps after its anchor. */
    static final int MAX_FOLLOWED = 20_000;

    final Kind kind;
    final long anchorId;
    final ConnectionBook.Conn conn;
    final List<TraceEvent> events = new ArrayList<>();
    final List<CtChange> changes = new ArrayList<>();
    private final Set<Long> ids = new HashSet<>();
    private long followUntil;
    private int followed;
    private boolean following = true;
    /** Whether the ring had already lost part of the connection's recent history. */
    boolean truncated;

    private Capture(Kind kind, long anchorId, ConnectionBook.Conn conn) {
        this.kind = kind;
        this.anchorId = anchorId;
        this.conn = conn;
    }

    /**
     * A capture of {@code conn} anchored on packet {@code anchorId}, taken at {@code nowNanos}
     * with the context the ring holds; {@code anchorSentNanos} is when the anchor was sent.
     */
    static Capture start(
            Kind kind, long anchorId, ConnectionBook.Conn conn, TraceRing ring, long nowNanos, long anchorSentNanos) {
        Capture c = new Capture(kind, anchorId, conn);
        List<TraceEvent> held = new ArrayList<>();
        List<CtChange> heldChanges = new ArrayList<>();
        ring.copyTo(held, heldChanges);
        for (TraceEvent e : held) {
            if (e.packet() != null && e.point() != TracePoint.SOCKET && conn.carries(e.packet())) {
                c.ids.add(e.packetId());
            }
        }
        for (int i = 0; i < held.size(); i++) {
            TraceEvent e = held.get(i);
            if (c.ids.contains(e.packetId())) {
                c.events.add(e);
                c.changes.add(heldChanges.get(i));
            }
        }
        c.truncated = c.events.isEmpty() || c.events.get(0).timeNanos() > conn.openedNanos;
        c.followUntil = nowNanos + Math.max(FOLLOW_NANOS, 2 * (nowNanos - anchorSentNanos));
        return c;
    }

    /** Takes {@code e} if it belongs to the connection and the capture still follows it. */
    void offer(TraceEvent e, CtChange change) {
        if (!following) {
            return;
        }
        if (e.timeNanos() > followUntil || followed >= MAX_FOLLOWED) {
            following = false;
            return;
        }
        boolean mine;
        if (e.point() == TracePoint.SOCKET) {
            mine = ids.contains(e.packetId());
        } else {
            mine = e.packet() != null && conn.carries(e.packet());
            if (mine) {
                ids.add(e.packetId());
            }
        }
        if (!mine) {
            return;
        }
        events.add(e);
        changes.add(change);
        followed++;
        if (kind == Kind.STORY
                && e.point() == TracePoint.SOCKET
                && e.reason() != null
                && e.reason().startsWith("RST_ACCEPTED")
                && ConnectionBook.podOf(e.where()).equals(conn.clientPod)) {
            followUntil = Math.min(followUntil, e.timeNanos() + AFTER_LEARNED_NANOS);
        }
    }
}
