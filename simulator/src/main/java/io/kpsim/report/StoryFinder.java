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

/**
 * Watches the packet paths for the first connection reset the way kubernetes issue 74839
 * describes: a pod's TCP stack finds no socket for a segment and answers with a RST
 * (RFC 9293 §3.10.7.1), and that RST is then accepted by the peer's socket. The segment and the
 * RST are remembered with their paths, and {@link StoryTeller} turns them into the five steps.
 */
final class StoryFinder implements PacketPaths.Sink {

    private static final int MAX_PENDING = 4096;

    private final EndpointViews views;
    private final SeqNumbers numbers;
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
    private ResetStory story;
    private StoryPackets packets;
    /** While the client's own end is awaited: the {@code where} prefix of its socket's events. */
    private String clientSocket;

    StoryFinder(EndpointViews views, SeqNumbers numbers) {
        this.views = views;
        this.numbers = numbers;
    }

    @Override
    public void event(TraceEvent e) {
        if (rst != null && !frozen && e.packetId() != rstId) {
            freeze();
        }
        if (story != null || rst != null || e.point() != TracePoint.POD_SEND) {
            return;
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

    @Override
    public void finished(long packetId, List<TraceEvent> path) {}

    @Override
    public void socket(TraceEvent e, List<TraceEvent> path) {
        if (story != null
                && clientSocket != null
                && "RST_ACCEPTED".equals(e.reason())
                && e.where().startsWith(clientSocket)
                && e.packet() != null) {
            story = story.withClientLearned("at " + HopText.time(e.timeNanos()) + " " + story.clientPod()
                    + " accepts a RST from "
                    + Ip4.format(e.packet().srcIp(), e.packet().srcPort())
                    + " on its socket: curl's \"(56) Recv failure: Connection reset by peer\"");
            clientSocket = null;
        }
        if (story != null || rst != null || path == null) {
            return;
        }
        String action = e.reason();
        if ("RST_NO_SOCKET".equals(action)) {
            answering.put(PacketPaths.podOf(e), new ArrayList<>(path));
        } else if ("RST_ACCEPTED".equals(action)) {
            List<TraceEvent> answered = answers.get(e.packetId());
            if (answered != null && escapedNat(answered)) {
                segment = answered;
                rst = path;
                rstId = e.packetId();
                packets = new StoryPackets(answered.get(0).packetId(), rstId, answered, path);
            }
        }
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

    private void freeze() {
        frozen = true;
        story = new StoryTeller(views, numbers).tell(segment, new ArrayList<>(rst));
        Packet seg = segment.get(segment.size() - 1).packet();
        for (TraceEvent e : segment) {
            if (e.point() == TracePoint.POD_RECEIVE) {
                seg = e.packet();
            }
        }
        clientSocket = story.clientPod() + " " + Ip4.format(seg.dstIp(), seg.dstPort()) + "<->";
    }

    /** The story's two packets once the RST was accepted, else {@code null}. */
    StoryPackets packets() {
        return packets;
    }

    /** The story of the first reset, or {@code null} when no connection was reset that way. */
    ResetStory story() {
        if (rst != null && !frozen) {
            freeze();
        }
        return story;
    }
}
