package io.kpsim.report.html;

import io.kpsim.cluster.Node;
import io.kpsim.cluster.NodeArrivalListener;
import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TraceListener;
import io.kpsim.cluster.TracePoint;
import io.kpsim.packet.Packet;
import io.kpsim.report.RunObserver;
import io.kpsim.report.StoryPackets;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The trace listener behind the HTML report: it keeps what the pictures need and nothing else.
 * Every connection's few numbers ({@link ConnectionBook}), every forged packet's fate
 * ({@link InjectionBook}), and a fixed-size ring of recent events ({@link TraceRing}) from which
 * the connection around the interesting packet is captured when that packet shows up: the reset
 * story's segment (asked from the text story's {@link RunObserver} after each event), the first
 * packet a conntrack did not simply accept, or a packet id given in advance (the same packet in a
 * run with a fix). Memory is bounded by the ring, two captures and one small record per
 * connection, however long the run; once both captures have started the ring is let go. Whatever
 * the ring holds it holds for some 16,384 events, long enough to outlive a young collection, so
 * what each event keeps alive matters: a node event's NAT words keep two packets, not the walk.
 * With entries on, each node event of a TCP packet carries the conntrack entry before and after it
 * ({@link EntryWitness}, heard as the packet arrives).
 *
 * <p>Register it after the {@link RunObserver} it asks, so the story is known by the event that
 * completes it.
 */
public final class LadderRecorder implements TraceListener, NodeArrivalListener {

    /** Events the ring keeps: at the blog's rate about 100 ms of a busy run. */
    static final int RING = 16_384;

    private final Supplier<StoryPackets> story;
    /** Where the conntrack entries come from, or {@code null} when they are not recorded. */
    private final EntryWitness witness;

    private final long givenAnchor;
    private final OutcomeRecorder outcomes = new OutcomeRecorder();
    private final ConnectionBook book = outcomes.book();
    /** The recent events a capture starts from; {@code null} once no capture is left to start. */
    private TraceRing ring = new TraceRing(RING);
    /** The change of the last kept event once the ring is gone (the captures still follow). */
    private final PackedChanges followed = new PackedChanges(1);

    private Capture storyCapture;
    private Capture firstCapture;
    private StoryPackets storyPackets;

    /**
     * A recorder.
     *
     * @param story the story's packets once known (e.g. {@code observer::storyPackets}), or
     *              {@code null} when no story is told
     * @param entries whether to record the conntrack entry before and after each node event
     * @param givenAnchor a packet id to capture the connection around, or -1 to capture around
     *                    the first packet conntrack did not simply accept
     */
    public LadderRecorder(Supplier<StoryPackets> story, boolean entries, long givenAnchor) {
        this.story = story;
        this.witness = entries ? new EntryWitness() : null;
        this.givenAnchor = givenAnchor;
    }

    /** A recorder for one run told by {@code observer}, with conntrack entries. */
    public static LadderRecorder of(RunObserver observer) {
        return new LadderRecorder(observer::storyPackets, true, -1);
    }

    @Override
    public void arriving(Node node, long packetId, Packet packet, long nowNanos) {
        if (witness != null) {
            witness.arriving(node, packetId, packet, nowNanos);
        }
    }

    /**
     * What the recorder reads: the points its ring keeps ({@link TraceRing#kept}) and those its
     * outcome books read. Not the hook steps and link hops, most of a run's events: when no other
     * listener takes NODE_HOOK, an html run then makes none, as a text or json run does.
     */
    @Override
    public Set<TracePoint> points() {
        Set<TracePoint> points = EnumSet.noneOf(TracePoint.class);
        points.addAll(outcomes.points());
        for (TracePoint point : TracePoint.values()) {
            if (TraceRing.kept(point)) {
                points.add(point);
            }
        }
        return points;
    }

    @Override
    public void onEvent(TraceEvent e) {
        outcomes.onEvent(e);
        TracePoint point = e.point();
        if (!TraceRing.kept(point) || point == TracePoint.SOCKET && e.packetId() < 0) {
            return;
        }
        CtChange change = null;
        if (ring != null) {
            int slot = ring.add(e);
            if (witness != null && witness.at(e, ring.changes(), slot) && capturing()) {
                change = ring.changes().get(slot); // as objects only for a capture that follows
            }
        } else if (witness != null && witness.at(e, followed, 0)) {
            change = followed.get(0);
        }
        afterKept(e, change);
    }

    /**
     * An event made from a replayed capture ({@link ReplayTrace}) with the conntrack entry before and
     * after it as the replay's own witness read it, or {@code null}; only kept points come this way.
     */
    void replayed(TraceEvent e, CtChange change) {
        outcomes.onEvent(e);
        if (ring != null) {
            ring.add(e, change);
        }
        afterKept(e, change);
    }

    private boolean capturing() {
        return storyCapture != null || firstCapture != null;
    }

    /** Offers a kept event, already in the ring, to the captures, and starts them when it is their anchor. */
    private void afterKept(TraceEvent e, CtChange change) {
        if (storyCapture != null) {
            storyCapture.offer(e, change);
        }
        if (firstCapture != null) {
            firstCapture.offer(e, change);
        }
        if (storyCapture == null && story != null) {
            StoryPackets sp = story.get();
            if (sp != null) {
                storyPackets = sp;
                TraceEvent sent = sp.segmentPath().get(0);
                ConnectionBook.Conn conn = book.find(sent.packet());
                if (conn != null) {
                    storyCapture = Capture.start(
                            Capture.Kind.STORY, sp.segmentId(), conn, ring, e.timeNanos(), sent.timeNanos());
                }
            }
        }
        if (firstCapture == null && e.packet() != null && anchors(e)) {
            ConnectionBook.Conn conn = book.find(e.packet());
            if (conn != null) {
                Capture.Kind kind = givenAnchor >= 0 ? Capture.Kind.GIVEN : Capture.Kind.NOT_ACCEPTED;
                firstCapture = Capture.start(kind, e.packetId(), conn, ring, e.timeNanos(), e.timeNanos());
            }
        }
        if (firstCapture != null && (storyCapture != null || story == null)) {
            ring = null; // every capture has started: the ring's events may die young from now on
        }
    }

    private boolean anchors(TraceEvent e) {
        if (givenAnchor >= 0) {
            return e.packetId() == givenAnchor && e.point() != TracePoint.SOCKET;
        }
        if (e.point() != TracePoint.NODE_ROUTE && e.point() != TracePoint.NODE_DROP) {
            return false;
        }
        return Hops.notAccepted(e);
    }

    /** The packet the pictures are about: the story's segment, else the first one not simply accepted; or -1. */
    public long anchorPacketId() {
        Capture c = capture();
        return c == null ? -1 : c.anchorId;
    }

    /** The capture a ladder is drawn from: the story's when there is one. */
    Capture capture() {
        return storyCapture != null ? storyCapture : firstCapture;
    }

    /** The story's packets, or {@code null}. */
    StoryPackets storyPackets() {
        return storyCapture != null ? storyPackets : null;
    }

    ConnectionBook book() {
        return book;
    }

    InjectionBook injections() {
        return outcomes.injections();
    }

    /** The outcomes of the run's connections and forged packets, as the text and JSON reports list them. */
    public OutcomeRecorder outcomes() {
        return outcomes;
    }
}
