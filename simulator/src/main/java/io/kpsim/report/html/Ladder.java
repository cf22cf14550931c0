package io.kpsim.report.html;

import java.util.List;

/**
 * A sequence diagram of one connection around the moment that matters: a lane per pod and per
 * node, an arrow per hop, the story's numbers and the gaps where packets were left out.
 *
 * @param caption one line saying which connection and which packets
 * @param lanes the lanes in topology order (client pod, its node, ..., the server's node, server pod)
 * @param arrows every hop, by departure time
 * @param steps the story's numbered steps on their arrows (empty when nothing was reset)
 * @param gaps packets left out, each after a shown packet
 * @param anchorPacket the ladder packet the picture is about (the story's segment, the first packet
 *                     conntrack did not simply accept, or the packet followed across runs)
 * @param clientIsn the client's initial sequence number, or -1 when unknown
 * @param serverIsn the server's initial sequence number, or -1 when unknown
 */
public record Ladder(
        String caption,
        List<Lane> lanes,
        List<Arrow> arrows,
        List<StoryMark> steps,
        List<Gap> gaps,
        int anchorPacket,
        long clientIsn,
        long serverIsn) {

    /** Copies the lists. */
    public Ladder {
        lanes = List.copyOf(lanes);
        arrows = List.copyOf(arrows);
        steps = List.copyOf(steps);
        gaps = List.copyOf(gaps);
    }

    /** How many packets the ladder shows. */
    public int packetCount() {
        int n = 0;
        for (Arrow a : arrows) {
            n = Math.max(n, a.packetIndex() + 1);
        }
        return n;
    }
}
