package io.kpsim.report.html;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.report.ResetStory;
import io.kpsim.report.StoryPackets;
import io.kpsim.report.StoryStep;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Draws nothing: turns a {@link Capture} into a {@link Ladder}. It picks the packets worth an
 * arrow (a few before the anchor, the anchor, and what answered it), turns each packet's trail into
 * hops between lanes, and puts the story's numbers on the hops where the steps happen. Packets of
 * the connection it leaves out become {@link Gap}s, so nothing disappears silently.
 */
final class LadderBuilder {

    /**
     * Which packets to show.
     *
     * @param before packets of the connection just before the anchor (the last window updates)
     * @param after packets just after the anchor (its immediate answers); the story adds its own
     * @param learned with a story, also the RST the client's socket accepted and what drew it
     */
    record Selection(int before, int after, boolean learned) {
        /** The full ladder: two packets of context, the story's packets and the client's last RST. */
        static final Selection FULL = new Selection(2, 3, true);
        /** A small ladder for comparing fixes side by side. */
        static final Selection SMALL = new Selection(1, 2, false);
    }

    private LadderBuilder() {}

    /** The ladder of {@code capture}, or {@code null} when the anchor's trail is missing. */
    static Ladder build(Capture capture, StoryPackets story, ResetStory words, Selection selection) {
        List<Trail> trails = Trail.of(capture.events, capture.changes);
        trails.sort(Comparator.comparingLong(Trail::sentNanos).thenComparingLong(t -> t.id));
        int anchor = indexOf(trails, capture.anchorId);
        if (anchor < 0) {
            return null;
        }
        ConnectionBook.Conn conn = capture.conn;
        List<Integer> chosen = choose(trails, anchor, story, conn, selection);
        List<Trail> shown = new ArrayList<>();
        for (int i : chosen) {
            shown.add(trails.get(i));
        }
        List<Lane> lanes = LaneOrder.of(shown, conn.clientPod, conn.endpointPod);
        List<Arrow> arrows = new ArrayList<>();
        for (int k = 0; k < shown.size(); k++) {
            arrows.addAll(PacketArrows.hops(shown.get(k), k, lanes, conn));
        }
        arrows.sort(Comparator.comparingLong(Arrow::departNanos)
                .thenComparingInt(Arrow::packetIndex)
                .thenComparingLong(Arrow::arriveNanos));
        List<Arrow> indexed = new ArrayList<>(arrows.size());
        for (int i = 0; i < arrows.size(); i++) {
            indexed.add(reindex(arrows.get(i), i));
        }
        List<Gap> gaps = new ArrayList<>();
        for (int k = 0; k + 1 < chosen.size(); k++) {
            int from = chosen.get(k);
            int to = chosen.get(k + 1);
            if (to - from > 1) {
                gaps.add(new Gap(
                        k,
                        to - from - 1,
                        trails.get(from + 1).sentNanos(),
                        trails.get(to - 1).sentNanos()));
            }
        }
        List<StoryMark> marks = story == null || story.segmentId() != capture.anchorId
                ? List.of()
                : marks(indexed, story, words, lanes, conn);
        return new Ladder(
                caption(capture, conn),
                lanes,
                indexed,
                marks,
                gaps,
                chosen.indexOf(anchor),
                conn.clientIsn,
                conn.serverSynSeen ? conn.serverIsn : -1);
    }

    private static String caption(Capture capture, ConnectionBook.Conn conn) {
        String served = conn.endpoint == null ? "" : ", served by " + conn.endpointPod + " " + conn.endpoint;
        String what;
        switch (capture.kind) {
            case STORY:
                what = "the reset, packet by packet";
                break;
            case NOT_ACCEPTED:
                what = "the first packet conntrack did not simply accept";
                break;
            case GIVEN:
                what = "the same packet";
                break;
            default:
                throw new IllegalStateException("unhandled capture kind " + capture.kind);
        }
        return conn.clientPod + " " + conn.client + " \u2192 " + conn.service + served + ": " + what;
    }

    private static List<Integer> choose(
            List<Trail> trails, int anchor, StoryPackets story, ConnectionBook.Conn conn, Selection selection) {
        Set<Integer> pick = new LinkedHashSet<>();
        for (int i = Math.max(0, anchor - selection.before()); i <= anchor; i++) {
            pick.add(i);
        }
        if (story != null && story.segmentId() == trails.get(anchor).id) {
            int rst = indexOf(trails, story.rstId());
            if (rst >= 0) {
                pick.add(rst);
            }
            // How the client learned: the RST its socket accepted, and the segment that drew it.
            for (int i = anchor + 1; selection.learned() && i < trails.size(); i++) {
                if (trails.get(i).socket(conn.clientPod, "RST_ACCEPTED") != null) {
                    int trigger = trigger(trails, i);
                    if (trigger >= 0) {
                        pick.add(trigger);
                    }
                    pick.add(i);
                    break;
                }
            }
        } else {
            for (int i = anchor + 1; i < trails.size() && i <= anchor + selection.after(); i++) {
                pick.add(i);
            }
        }
        List<Integer> out = new ArrayList<>(pick);
        out.sort(Integer::compare);
        return out;
    }

    /**
     * The trail a RST at {@code rst} answered: the pod's last segment its stack answered with a RST
     * ({@code NO_SOCKET_RST_SENT}, {@code BAD_ACK_RST_SENT}).
     */
    private static int trigger(List<Trail> trails, int rst) {
        Trail r = trails.get(rst);
        String pod = r.first().where();
        for (int i = rst - 1; i >= 0; i--) {
            TraceEvent s = trails.get(i).socket(pod, "", "_RST_SENT");
            if (s != null && s.timeNanos() <= r.sentNanos()) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(List<Trail> trails, long id) {
        for (int i = 0; i < trails.size(); i++) {
            if (trails.get(i).id == id) {
                return i;
            }
        }
        return -1;
    }

    private static Arrow reindex(Arrow a, int index) {
        return new Arrow(
                index,
                a.packetIndex(),
                a.packetId(),
                a.from(),
                a.to(),
                a.departNanos(),
                a.arriveNanos(),
                a.packet(),
                a.relativeSeq(),
                a.relativeAck(),
                a.windowBytes(),
                a.end(),
                a.verdict(),
                a.nat(),
                a.conntrack(),
                a.detail(),
                a.action(),
                a.injected());
    }

    /** The story's five numbers on the arrows where the steps happen. */
    private static List<StoryMark> marks(
            List<Arrow> arrows, StoryPackets story, ResetStory words, List<Lane> lanes, ConnectionBook.Conn conn) {
        int clientLane = LaneOrder.indexOf(lanes, conn.clientPod);
        String clientNode = clientLane < 0 ? null : lanes.get(clientLane).node();
        int clientNodeLane = clientNode == null ? -1 : LaneOrder.indexOf(lanes, clientNode);
        Arrow firstInvalid = null;
        Arrow segmentDelivered = null;
        Arrow rstFirst = null;
        Arrow rstLeavesNode = null;
        Arrow rstDelivered = null;
        for (Arrow a : arrows) {
            if (a.packetId() == story.segmentId()) {
                if (firstInvalid == null && a.invalid()) {
                    firstInvalid = a;
                }
                if (a.end() == HopEnd.DELIVERED && a.to() == clientLane) {
                    segmentDelivered = a;
                }
            } else if (a.packetId() == story.rstId()) {
                if (rstFirst == null) {
                    rstFirst = a;
                }
                if (a.from() == clientNodeLane && rstLeavesNode == null) {
                    rstLeavesNode = a;
                }
                if (a.end() == HopEnd.DELIVERED) {
                    rstDelivered = a;
                }
            }
        }
        Arrow[] at = {firstInvalid, segmentDelivered, rstFirst, rstLeavesNode, rstDelivered};
        List<StoryMark> marks = new ArrayList<>();
        for (int n = 1; n <= at.length; n++) {
            String title = title(words, n);
            if (at[n - 1] != null && title != null) {
                marks.add(new StoryMark(n, title, at[n - 1].index()));
            }
        }
        return marks;
    }

    /** The words of step {@code n}; {@code null} when the story tells it with another step (a replay's 5). */
    private static String title(ResetStory words, int n) {
        if (words == null) {
            return "step " + n;
        }
        for (StoryStep s : words.steps()) {
            if (s.number() == n) {
                return s.title();
            }
        }
        return null;
    }
}
