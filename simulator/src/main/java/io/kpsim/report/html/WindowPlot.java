package io.kpsim.report.html;

import java.util.List;

/**
 * The sequence space of one direction of a connection at one node, against time: the segments,
 * what the receiver acknowledged and allowed, and conntrack's bounds for that direction, with the
 * segments conntrack did not simply accept marked. Sequence numbers are relative to {@code base}
 * (the sender's initial sequence number when the handshake was seen).
 *
 * @param title one line: whose segments, at which node
 * @param node the node whose conntrack the bounds belong to
 * @param senderName the sending pod
 * @param sender the sending end (as it addresses the packets on that hop)
 * @param receiverName the receiving pod
 * @param receiver the receiving end
 * @param base the absolute sequence number plotted as 0
 * @param segments the sender's segments, in time order
 * @param ack the receiver's acknowledgements (its RCV.NXT), a step line
 * @param windowEdge {@code ack + window} the receiver advertised, a step line
 * @param tdEnd the sender's {@code td_end} after each packet, when the trace records entries
 * @param tdMaxEnd the sender's {@code td_maxend}
 * @param lowerBound {@code td_end - td_maxwin} (the sender's end, the receiver's largest window)
 * @param marks the segments that were INVALID or ignored, with the bound they crossed
 */
public record WindowPlot(
        String title,
        String node,
        String senderName,
        Address sender,
        String receiverName,
        Address receiver,
        long base,
        List<PlotSegment> segments,
        List<PlotPoint> ack,
        List<PlotPoint> windowEdge,
        List<PlotPoint> tdEnd,
        List<PlotPoint> tdMaxEnd,
        List<PlotPoint> lowerBound,
        List<PlotMark> marks) {

    /** Copies the lists. */
    public WindowPlot {
        segments = List.copyOf(segments);
        ack = List.copyOf(ack);
        windowEdge = List.copyOf(windowEdge);
        tdEnd = List.copyOf(tdEnd);
        tdMaxEnd = List.copyOf(tdMaxEnd);
        lowerBound = List.copyOf(lowerBound);
        marks = List.copyOf(marks);
    }

    /** Whether conntrack's own bounds are drawn (the trace recorded the entries). */
    public boolean hasConntrackBounds() {
        return !tdMaxEnd.isEmpty();
    }
}
