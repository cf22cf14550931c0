package io.kpsim.report.html;

import java.util.ArrayList;
import java.util.List;

/**
 * The window plot's axes: time linearly across, sequence numbers linearly up. A segment that lies
 * far outside everything else (the blog's forged segment is 11 MB beyond a 0.5 MB window) gets a
 * band of its own above or below the main area, behind an axis break, so neither it nor the window
 * is squashed into a line.
 */
final class PlotScale {

    static final double WIDTH = 980;
    static final double HEIGHT = 470;
    static final double LEFT = 96;
    static final double RIGHT = WIDTH - 250;
    static final double TOP = 28;
    static final double BOTTOM = HEIGHT - 46;
    static final double BAND = 56;
    static final double BREAK = 18;

    final long t0;
    final long t1;
    final long lo;
    final long hi;
    /** Outliers above the main range (null when none): their range. */
    final long[] above;
    /** Outliers below the main range (null when none). */
    final long[] below;

    final double mainTop;
    final double mainBottom;

    private PlotScale(long t0, long t1, long lo, long hi, long[] above, long[] below) {
        this.t0 = t0;
        this.t1 = t1 > t0 ? t1 : t0 + 1;
        this.lo = lo;
        this.hi = hi > lo ? hi : lo + 1;
        this.above = above;
        this.below = below;
        this.mainTop = TOP + (above == null ? 0 : BAND + BREAK);
        this.mainBottom = BOTTOM - (below == null ? 0 : BAND + BREAK);
    }

    static PlotScale of(WindowPlot p) {
        long tMin = Long.MAX_VALUE;
        long tMax = Long.MIN_VALUE;
        List<Long> core = new ArrayList<>();
        for (PlotSegment s : p.segments()) {
            tMin = Math.min(tMin, s.timeNanos());
            tMax = Math.max(tMax, s.timeNanos());
            if (!s.verdict().invalid() && !s.verdict().ignored()) {
                core.add(s.seq());
                core.add(s.end());
            }
        }
        for (List<PlotPoint> line : List.of(p.ack(), p.windowEdge(), p.tdEnd(), p.tdMaxEnd(), p.lowerBound())) {
            for (PlotPoint pt : line) {
                tMin = Math.min(tMin, pt.timeNanos());
                tMax = Math.max(tMax, pt.timeNanos());
                core.add(pt.value());
            }
        }
        for (PlotMark m : p.marks()) {
            tMin = Math.min(tMin, m.timeNanos());
            tMax = Math.max(tMax, m.timeNanos());
            if (m.boundValue() != PlotMark.UNKNOWN) {
                core.add(m.boundValue());
            }
        }
        if (tMin == Long.MAX_VALUE) {
            tMin = 0;
            tMax = 1;
        }
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (long v : core) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (lo == Long.MAX_VALUE) {
            PlotMark first = p.marks().isEmpty() ? null : p.marks().get(0);
            lo = first == null ? 0 : first.seq();
            hi = first == null ? 1 : first.end();
        }
        long span = Math.max(1, hi - lo);
        long[] above = null;
        long[] below = null;
        for (PlotMark m : p.marks()) {
            if (m.seq() > hi + span) {
                above = widen(above, m.seq(), m.end());
            } else if (m.end() < lo - span) {
                below = widen(below, m.seq(), m.end());
            } else {
                lo = Math.min(lo, m.seq());
                hi = Math.max(hi, m.end());
            }
        }
        long pad = Math.max(1, (hi - lo) / 20);
        long tPad = Math.max(1, (tMax - tMin) / 40);
        return new PlotScale(tMin - tPad, tMax + tPad, lo - pad, hi + pad, above, below);
    }

    private static long[] widen(long[] range, long a, long b) {
        if (range == null) {
            return new long[] {a, b};
        }
        return new long[] {Math.min(range[0], a), Math.max(range[1], b)};
    }

    double x(long nanos) {
        return LEFT + (RIGHT - LEFT) * (nanos - t0) / (double) (t1 - t0);
    }

    /** The y of a value: in the main area, or in a band when it is one of the outliers' range. */
    double y(long v) {
        if (above != null && v > hi) {
            return band(v, above, TOP);
        }
        if (below != null && v < lo) {
            return band(v, below, BOTTOM - BAND);
        }
        double clamped = Math.max(lo, Math.min(hi, v));
        return mainBottom - (mainBottom - mainTop) * (clamped - lo) / (double) (hi - lo);
    }

    private static double band(long v, long[] range, double top) {
        long span = Math.max(1, range[1] - range[0]);
        double inner = BAND - 16;
        double f = (Math.max(range[0], Math.min(range[1], v)) - range[0]) / (double) span;
        return top + 8 + inner * (1 - f);
    }

    /** About {@code n} round values in [a, b]. */
    static List<Long> ticks(long a, long b, int n) {
        long span = Math.max(1, b - a);
        double raw = span / (double) n;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double[] steps = {1, 2, 5, 10};
        long step = (long) mag;
        for (double s : steps) {
            if (s * mag >= raw) {
                step = Math.max(1, (long) (s * mag));
                break;
            }
        }
        List<Long> out = new ArrayList<>();
        long first = Math.floorDiv(a, step) * step;
        if (first < a) {
            first += step;
        }
        for (long v = first; v <= b; v += step) {
            out.add(v);
        }
        return out;
    }
}
