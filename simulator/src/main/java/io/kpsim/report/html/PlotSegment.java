package io.kpsim.report.html;

/**
 * One segment of the plotted direction, drawn as a vertical bar from {@code seq} to {@code end}
 * at the time it passed the plot's node, as tcptrace and Wireshark's Stevens graph draw them.
 *
 * @param timeNanos when it passed the node
 * @param seq its first sequence number, relative to the plot's base
 * @param end {@code seq + len} (SYN and FIN count one), relative to the plot's base
 * @param verdict conntrack's verdict on it at that node
 * @param arrow the ladder arrow of the same hop, or -1 when the ladder does not show it
 */
public record PlotSegment(long timeNanos, long seq, long end, CtVerdict verdict, int arrow) {}
