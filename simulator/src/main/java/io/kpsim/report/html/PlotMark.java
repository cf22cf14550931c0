package io.kpsim.report.html;

/**
 * A segment conntrack did not simply accept, marked on the window plot with the bound it crossed.
 *
 * @param timeNanos when it passed the node
 * @param seq its first sequence number, relative to the plot's base
 * @param end its end, relative to the plot's base
 * @param verdict INVALID, or ignored on 6.1+
 * @param bound the bound the kernel named, or {@code null} for a reason that is not a window bound
 * @param boundValue the bound's value relative to the plot's base: from the conntrack entry when
 *                   the trace records it, else from the number 6.1+ prints; {@link #UNKNOWN} when
 *                   neither is known (4.19 without recorded entries)
 * @param arrow the ladder arrow of the same hop, or -1
 */
public record PlotMark(
        long timeNanos, long seq, long end, CtVerdict verdict, WindowBound bound, long boundValue, int arrow) {

    /** {@link #boundValue} when the bound's value is not known. */
    public static final long UNKNOWN = Long.MIN_VALUE;
}
