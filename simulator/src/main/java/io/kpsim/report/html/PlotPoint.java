package io.kpsim.report.html;

/**
 * One point of a step line in the window plot: from this time on the value holds until the next
 * point.
 *
 * @param timeNanos when the value was set (the packet that set it passed the plot's node)
 * @param value a sequence number relative to the plot's base (may be negative)
 */
public record PlotPoint(long timeNanos, long value) {}
