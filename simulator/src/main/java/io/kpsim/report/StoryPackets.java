package io.kpsim.report;

import io.kpsim.cluster.TraceEvent;
import java.util.List;

/**
 * The two packets the first reset's story is about, known as soon as the server's socket has
 * accepted the RST: the out-of-window segment that escaped the reverse NAT and the RST that
 * answered it, with their paths. Pictures use them to find the story's packets in the trace.
 *
 * @param segmentId the trace id of the segment conntrack marked INVALID
 * @param rstId the trace id of the client's RST
 * @param segmentPath the segment's events, from the pod that sent it to the pod that got it
 * @param rstPath the RST's events, from the client to the server's socket accepting it
 */
public record StoryPackets(long segmentId, long rstId, List<TraceEvent> segmentPath, List<TraceEvent> rstPath) {

    /** Copies the paths. */
    public StoryPackets {
        segmentPath = List.copyOf(segmentPath);
        rstPath = List.copyOf(rstPath);
    }
}
