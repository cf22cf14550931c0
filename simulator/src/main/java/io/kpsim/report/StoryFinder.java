package io.kpsim.report;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Watches the packet paths for the first connection reset the way kubernetes issue 74839
 * describes: a pod's TCP stack finds no socket for a segment and answers with a RST
 * (RFC 9293 §3.10.7.1), and that RST is then accepted by the peer's socket. The segment and the
 * RST are remembered with their paths, and {@link StoryTeller} turns them into the five steps.
 */
final class StoryFinder {

    private static final int MAX_PENDING = 4096;

    /** With every reset told ({@code --all}): the most stories kept; later resets get their one line only. */
    static final int MAX_STORIES = 1000;

    private final EndpointViews views;
    private final SeqNumbers numbers;
    /** Whether every reset is told, not only the first. */
    private final boolean all;
    /** The stories told so far, in the order the resets happened. */
    private final List<ResetStory> told = new ArrayList<>();
    /** The {@code where} prefix of a told story's client socket -> the story's index, while awaited. */
    private final Map<String, Integer> learning = new HashMap<>();
    /** Pod name -> the packet its stack is answering with a no-socket RST. */
    private final Map<String, List<TraceEvent>> answering = new HashMap<>();
    /** RST packet id -> the path of the segment it answers (bounded, oldest forgotten first). */
    private final Map<Long, List<TraceEvent>> answers = new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, List<TraceEvent>> eldest) {
            return size() > MAX_PENDING;
        }
    };

    private List<TraceEvent> segment;
    private List<TraceEvent> rst;
    private long rstId = -1;
    private boolean frozen;
    private StoryPackets packets;

    StoryFinder(EndpointViews views, SeqNumbers numbers, boolean all) {
        this.views = views;
        this.numbers = numbers;
        this.all = all;
    }

    /** Whether another story is wanted: the first always, the others with {@code all}. */
    private boolean collecting() {
        return told.isEmpty() || all && told.size() < MAX_STORIES;
    }

    /** Every event: remembers which RST answers a no-socket segment. */
    void event(TraceEvent e) {
        if (rst != null && !frozen && e.packetId() != rstId) {
            freeze();
        }
        if (!collecting() || rst != null || e.point() != TracePoint.POD_SEND || answering.isEmpty()) {
            return; // nearly always: read no words
        }
        List<TraceEvent> answered = answering.remove(e.where());
        Packet p = e.packet();
        if (answered != null
                && p != null
                && p.protocol() == Protocol.TCP
                && p.tcp().has(TcpFlags.RST)) {
            answers.put(e.packetId(), answered);
        }
    }

    /**
     * A TCP stack acted on a socket; {@code paths} gives the path of the packet that caused it (the
     * latest of its id, a fresh copy each time), or is {@code null} for an action no packet caused
     * (a timer). Paths are put together only for the few actions a story needs.
     */
    void socket(TraceEvent e, LongFunction<List<TraceEvent>> paths) {
        if (follows(e.packetId())) {
            rst.add(e); // what the stack did after accepting the RST belongs to its path
        }
        if (!learning.isEmpty() && "RST_ACCEPTED".equals(e.reason()) && e.packet() != null) {
            learned(e);
        }
        if (!collecting() || rst != null || paths == null) {
            return;
        }
        String action = e.reason();
        if ("RST_NO_SOCKET".equals(action)) {
            List<TraceEvent> path = paths.apply(e.packetId());
            if (path != null) {
                answering.put(PacketPaths.podOf(e), path);
            }
        } else if ("RST_ACCEPTED".equals(action)) {
            List<TraceEvent> answered = answers.get(e.packetId());
            List<TraceEvent> path = answered != null && escapedNat(answered) ? paths.apply(e.packetId()) : null;
            if (path != null) {
                segment = answered;
                rst = path;
                rstId = e.packetId();
                if (packets == null) {
                    packets = new StoryPackets(answered.get(0).packetId(), rstId, answered, path);
                }
            }
        }
    }

    /** Whether the socket events of packet {@code id} join the story's RST path (see {@link #socket}). */
    boolean follows(long id) {
        return rst != null && !frozen && id == rstId;
    }

    /** Whether the segment reached its pod without the reverse NAT its connection needed. */
    private static boolean escapedNat(List<TraceEvent> path) {
        for (TraceEvent e : path) {
            if (e.point() == TracePoint.NODE_ROUTE && e.ctState() == io.kpsim.conntrack.CtState.INVALID) {
                return true;
            }
        }
        return false;
    }

    /** A client socket of a told story accepted a RST: how the client learned of the reset. */
    private void learned(TraceEvent e) {
        for (Map.Entry<String, Integer> awaited : learning.entrySet()) {
            if (e.where().startsWith(awaited.getKey())) {
                int i = awaited.getValue();
                ResetStory story = told.get(i);
                told.set(
                        i,
                        story.withClientLearned("at " + HopText.time(e.timeNanos()) + " " + story.clientPod()
                                + " accepts a RST from "
                                + Ip4.format(e.packet().srcIp(), e.packet().srcPort())
                                + " on its socket: curl's \"(56) Recv failure: Connection reset by peer\""));
                learning.remove(awaited.getKey());
                return;
            }
        }
    }

    private void freeze() {
        frozen = true;
        ResetStory story = new StoryTeller(views, numbers).tell(segment, new ArrayList<>(rst));
        Packet seg = segment.get(segment.size() - 1).packet();
        for (TraceEvent e : segment) {
            if (e.point() == TracePoint.POD_RECEIVE) {
                seg = e.packet();
            }
        }
        learning.put(story.clientPod() + " " + Ip4.format(seg.dstIp(), seg.dstPort()) + "<->", told.size());
        told.add(story);
        if (collecting()) {
            segment = null;
            rst = null;
            rstId = -1;
            frozen = false;
        }
    }

    /** The story's two packets once the RST was accepted, else {@code null}. */
    StoryPackets packets() {
        return packets;
    }

    /** The story of the first reset, or {@code null} when no connection was reset that way. */
    ResetStory story() {
        List<ResetStory> stories = stories();
        return stories.isEmpty() ? null : stories.get(0);
    }

    /** Every story told: the first reset's, and with {@code all} every later one's (up to {@link #MAX_STORIES}). */
    List<ResetStory> stories() {
        if (rst != null && !frozen) {
            freeze();
        }
        return List.copyOf(told);
    }
}
