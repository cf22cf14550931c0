package io.kpsim.report.html;

import java.util.ArrayList;
import java.util.List;

/**
 * Draws a {@link WindowPlot} as SVG, in tcptrace's and Wireshark's "Stevens" style: time across,
 * sequence numbers up; each segment a vertical bar from its first to its last byte; the receiver's
 * ACK and ACK + window as step lines; conntrack's {@code td_end}, {@code td_maxend} and
 * {@code td_end - td_maxwin} as step lines when the trace recorded the entries; every segment
 * conntrack did not simply accept circled, with the bound the kernel named and, when known, that
 * bound's value drawn as a tick at the segment's time.
 */
public final class PlotSvg {

    private PlotSvg() {}

    /** The SVG text of {@code plot}; see {@link LadderSvg#render} for the arguments. */
    public static String render(WindowPlot plot, String idPrefix, boolean standalone, String css) {
        PlotScale sc = PlotScale.of(plot);
        StringBuilder s = new StringBuilder(32_768);
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"kp-fig kp-plot\" id=\"")
                .append(idPrefix)
                .append("\" viewBox=\"0 0 ")
                .append(Fmt.coord(PlotScale.WIDTH))
                .append(' ')
                .append(Fmt.coord(PlotScale.HEIGHT))
                .append("\" width=\"")
                .append(Fmt.coord(PlotScale.WIDTH))
                .append("\" height=\"")
                .append(Fmt.coord(PlotScale.HEIGHT))
                .append("\" role=\"img\">\n<title>Window plot: ")
                .append(Xml.escape(plot.title()))
                .append("</title>\n");
        if (standalone) {
            s.append("<style>").append(Xml.escape(css)).append("</style>\n");
            s.append("<rect class=\"paper\" x=\"0\" y=\"0\" width=\"100%\" height=\"100%\"/>\n");
        }
        axes(s, sc, plot);
        series(s, sc, plot.windowEdge(), "win-edge");
        series(s, sc, plot.lowerBound(), "td-lower");
        series(s, sc, plot.tdEnd(), "td-end");
        series(s, sc, plot.tdMaxEnd(), "td-maxend");
        s.append("<g class=\"segments\">\n");
        for (PlotSegment seg : plot.segments()) {
            double x = sc.x(seg.timeNanos());
            double y1 = sc.y(seg.seq());
            double y2 = sc.y(seg.end());
            if (y1 - y2 < 2) {
                y2 = y1 - 2;
            }
            s.append("<path class=\"seg")
                    .append(seg.verdict().invalid() ? " invalid" : seg.verdict().ignored() ? " ignored" : "")
                    .append("\" d=\"M")
                    .append(Fmt.coord(x - 2))
                    .append(' ')
                    .append(Fmt.coord(y1))
                    .append("h4M")
                    .append(Fmt.coord(x))
                    .append(' ')
                    .append(Fmt.coord(y1))
                    .append("V")
                    .append(Fmt.coord(y2))
                    .append("M")
                    .append(Fmt.coord(x - 2))
                    .append(' ')
                    .append(Fmt.coord(y2))
                    .append("h4\"")
                    .append(seg.arrow() >= 0 ? " data-arrow=\"" + seg.arrow() + "\"" : "")
                    .append("/>\n");
        }
        s.append("</g>\n");
        series(s, sc, plot.ack(), "ack-line");
        s.append("<g class=\"marks\">\n");
        for (int i = 0; i < plot.marks().size(); i++) {
            mark(s, sc, plot, plot.marks().get(i), i);
        }
        s.append("</g>\n");
        legend(s, plot);
        s.append("</svg>\n");
        return s.toString();
    }

    private static void axes(StringBuilder s, PlotScale sc, WindowPlot plot) {
        s.append("<g class=\"axes\">\n");
        s.append("<rect class=\"frame\" x=\"")
                .append(Fmt.coord(PlotScale.LEFT))
                .append("\" y=\"")
                .append(Fmt.coord(sc.mainTop))
                .append("\" width=\"")
                .append(Fmt.coord(PlotScale.RIGHT - PlotScale.LEFT))
                .append("\" height=\"")
                .append(Fmt.coord(sc.mainBottom - sc.mainTop))
                .append("\"/>\n");
        for (long v : PlotScale.ticks(sc.lo, sc.hi, 6)) {
            double y = sc.y(v);
            s.append("<line class=\"grid\" x1=\"")
                    .append(Fmt.coord(PlotScale.LEFT))
                    .append("\" y1=\"")
                    .append(Fmt.coord(y))
                    .append("\" x2=\"")
                    .append(Fmt.coord(PlotScale.RIGHT))
                    .append("\" y2=\"")
                    .append(Fmt.coord(y))
                    .append("\"/><text class=\"tick y\" x=\"")
                    .append(Fmt.coord(PlotScale.LEFT - 6))
                    .append("\" y=\"")
                    .append(Fmt.coord(y + 3.5))
                    .append("\">")
                    .append(Fmt.group(v))
                    .append("</text>\n");
        }
        for (long t : PlotScale.ticks(sc.t0, sc.t1, 5)) {
            double x = sc.x(t);
            s.append("<line class=\"grid\" x1=\"")
                    .append(Fmt.coord(x))
                    .append("\" y1=\"")
                    .append(Fmt.coord(sc.mainTop))
                    .append("\" x2=\"")
                    .append(Fmt.coord(x))
                    .append("\" y2=\"")
                    .append(Fmt.coord(sc.mainBottom))
                    .append("\"/><text class=\"tick x\" x=\"")
                    .append(Fmt.coord(x))
                    .append("\" y=\"")
                    .append(Fmt.coord(PlotScale.BOTTOM + 16))
                    .append("\">")
                    .append(Fmt.time(t))
                    .append("</text>\n");
        }
        if (sc.above != null) {
            band(s, PlotScale.TOP, sc.above, sc.mainTop - PlotScale.BREAK / 2);
        }
        if (sc.below != null) {
            band(s, PlotScale.BOTTOM - PlotScale.BAND, sc.below, sc.mainBottom + PlotScale.BREAK / 2);
        }
        s.append("<text class=\"axis-title\" x=\"")
                .append(Fmt.coord((PlotScale.LEFT + PlotScale.RIGHT) / 2))
                .append("\" y=\"")
                .append(Fmt.coord(PlotScale.HEIGHT - 8))
                .append("\">time at ")
                .append(Xml.escape(plot.node()))
                .append("</text>\n<text class=\"axis-title\" transform=\"rotate(-90)\" x=\"")
                .append(Fmt.coord(-(PlotScale.TOP + PlotScale.BOTTOM) / 2))
                .append("\" y=\"14\">sequence number, relative to ")
                .append(plot.base())
                .append("</text>\n</g>\n");
    }

    private static void band(StringBuilder s, double top, long[] range, double breakY) {
        s.append("<rect class=\"frame band\" x=\"")
                .append(Fmt.coord(PlotScale.LEFT))
                .append("\" y=\"")
                .append(Fmt.coord(top))
                .append("\" width=\"")
                .append(Fmt.coord(PlotScale.RIGHT - PlotScale.LEFT))
                .append("\" height=\"")
                .append(Fmt.coord(PlotScale.BAND))
                .append("\"/>\n<path class=\"axis-break\" d=\"M")
                .append(Fmt.coord(PlotScale.LEFT - 8))
                .append(' ')
                .append(Fmt.coord(breakY + 3))
                .append("l6 -6l6 6l6 -6M")
                .append(Fmt.coord(PlotScale.RIGHT - 10))
                .append(' ')
                .append(Fmt.coord(breakY + 3))
                .append("l6 -6l6 6l6 -6\"/>\n<text class=\"tick y\" x=\"")
                .append(Fmt.coord(PlotScale.LEFT - 6))
                .append("\" y=\"")
                .append(Fmt.coord(top + PlotScale.BAND / 2 + 3.5))
                .append("\">")
                .append(Fmt.group(range[0]))
                .append("</text>\n");
    }

    private static void series(StringBuilder s, PlotScale sc, List<PlotPoint> points, String kind) {
        if (points.isEmpty()) {
            return;
        }
        StringBuilder d = new StringBuilder();
        for (int i = 0; i < points.size(); i++) {
            PlotPoint p = points.get(i);
            double x = sc.x(p.timeNanos());
            double y = sc.y(p.value());
            if (i == 0) {
                d.append('M').append(Fmt.coord(x)).append(' ').append(Fmt.coord(y));
            } else {
                d.append('H').append(Fmt.coord(x)).append('V').append(Fmt.coord(y));
            }
        }
        d.append('H').append(Fmt.coord(PlotScale.RIGHT));
        s.append("<path class=\"series ")
                .append(kind)
                .append("\" d=\"")
                .append(d)
                .append("\"/>\n");
    }

    private static void mark(StringBuilder s, PlotScale sc, WindowPlot plot, PlotMark m, int i) {
        double x = sc.x(m.timeNanos());
        double yStart = sc.y(m.seq());
        double yEnd = Math.min(sc.y(m.end()), yStart - 3);
        String kind = m.verdict().invalid() ? "invalid" : "ignored";
        s.append("<g class=\"mark ")
                .append(kind)
                .append("\" data-mark=\"")
                .append(i)
                .append("\" data-bound=\"")
                .append(m.bound() == null ? "none" : m.bound().name())
                .append('"')
                .append(m.arrow() >= 0 ? " data-arrow=\"" + m.arrow() + "\"" : "")
                .append("><title>")
                .append(Xml.escape(markTitle(plot, m)))
                .append("</title><line class=\"bar\" x1=\"")
                .append(Fmt.coord(x))
                .append("\" y1=\"")
                .append(Fmt.coord(yStart))
                .append("\" x2=\"")
                .append(Fmt.coord(x))
                .append("\" y2=\"")
                .append(Fmt.coord(yEnd))
                .append("\"/><circle cx=\"")
                .append(Fmt.coord(x))
                .append("\" cy=\"")
                .append(Fmt.coord((yStart + yEnd) / 2))
                .append("\" r=\"7\"/>");
        if (m.boundValue() != PlotMark.UNKNOWN) {
            double yb = sc.y(m.boundValue());
            s.append("<line class=\"bound\" x1=\"")
                    .append(Fmt.coord(x - 26))
                    .append("\" y1=\"")
                    .append(Fmt.coord(yb))
                    .append("\" x2=\"")
                    .append(Fmt.coord(x + 26))
                    .append("\" y2=\"")
                    .append(Fmt.coord(yb))
                    .append("\"/>");
        }
        if (i == 0 || m.bound() != null && plot.marks().get(0).bound() == null) {
            boolean left = x > (PlotScale.LEFT + PlotScale.RIGHT) / 2;
            double tx = left ? x - 12 : x + 12;
            double ty = Math.max(PlotScale.TOP + 12, Math.min(PlotScale.BOTTOM - 24, (yStart + yEnd) / 2 - 6));
            s.append("<text class=\"mark-label")
                    .append(left ? " left" : "")
                    .append("\" x=\"")
                    .append(Fmt.coord(tx))
                    .append("\" y=\"")
                    .append(Fmt.coord(ty))
                    .append("\"><tspan class=\"word\">")
                    .append(m.verdict().invalid() ? "INVALID" : "ignored")
                    .append(" at ")
                    .append(Xml.escape(plot.node()))
                    .append("</tspan><tspan x=\"")
                    .append(Fmt.coord(tx))
                    .append("\" dy=\"13\">")
                    .append(Xml.escape(
                            m.bound() == null
                                    ? String.valueOf(m.verdict().reason())
                                    : m.bound().label()))
                    .append("</tspan></text>");
        }
        s.append("</g>\n");
    }

    static String markTitle(WindowPlot plot, PlotMark m) {
        StringBuilder t = new StringBuilder();
        t.append(m.verdict().invalid() ? "INVALID" : "ignored (6.1+)")
                .append(" at ")
                .append(plot.node())
                .append(", ")
                .append(Fmt.time(m.timeNanos()))
                .append(": seq ")
                .append(Fmt.group(m.seq()))
                .append(':')
                .append(Fmt.group(m.end()))
                .append(" (relative); kernel: \"")
                .append(m.verdict().reason())
                .append('"');
        if (m.bound() != null) {
            t.append("; crossed: ").append(m.bound().label());
        }
        if (m.boundValue() != PlotMark.UNKNOWN) {
            t.append(" = ").append(Fmt.group(m.boundValue()));
        }
        return t.toString();
    }

    private static void legend(StringBuilder s, WindowPlot plot) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"k-seg", "segments, " + plot.senderName() + " \u2192 " + plot.receiverName()});
        if (!plot.ack().isEmpty()) {
            rows.add(new String[] {"k-ack-line", "receiver's ACK (its RCV.NXT)"});
        }
        if (!plot.windowEdge().isEmpty()) {
            rows.add(new String[] {"k-win-edge", "ACK + advertised window"});
        }
        if (plot.hasConntrackBounds()) {
            rows.add(new String[] {"k-td-end", "conntrack td_end (sender)"});
            rows.add(new String[] {"k-td-maxend", "conntrack td_maxend (upper bound)"});
            rows.add(new String[] {"k-td-lower", "td_end \u2212 td_maxwin (lower bound)"});
        }
        boolean invalid = false;
        boolean ignored = false;
        boolean ticks = false;
        for (PlotMark m : plot.marks()) {
            invalid |= m.verdict().invalid();
            ignored |= m.verdict().ignored();
            ticks |= m.boundValue() != PlotMark.UNKNOWN;
        }
        if (invalid) {
            rows.add(new String[] {"k-invalid", "INVALID segment"});
        }
        if (ignored) {
            rows.add(new String[] {"k-ignored", "ignored by 6.1+ conntrack"});
        }
        if (ticks) {
            rows.add(new String[] {"k-bound", "the bound it crossed"});
        }
        double x = PlotScale.RIGHT + 18;
        double y = PlotScale.TOP + 8;
        s.append("<g class=\"legend\">\n");
        for (String[] r : rows) {
            s.append("<g class=\"key ")
                    .append(r[0])
                    .append("\"><line x1=\"")
                    .append(Fmt.coord(x))
                    .append("\" y1=\"")
                    .append(Fmt.coord(y))
                    .append("\" x2=\"")
                    .append(Fmt.coord(x + 22))
                    .append("\" y2=\"")
                    .append(Fmt.coord(y))
                    .append("\"/><text x=\"")
                    .append(Fmt.coord(x + 28))
                    .append("\" y=\"")
                    .append(Fmt.coord(y + 4))
                    .append("\">")
                    .append(Xml.escape(r[1]))
                    .append("</text></g>\n");
            y += 18;
        }
        if (!plot.hasConntrackBounds()) {
            y += 6;
            for (String line : List.of(
                    "conntrack's td_end, td_maxend and",
                    "td_maxwin are not in this run's",
                    "trace; the kernel's message names",
                    "the bound (6.1+ prints its value)")) {
                s.append("<text class=\"note\" x=\"")
                        .append(Fmt.coord(x))
                        .append("\" y=\"")
                        .append(Fmt.coord(y))
                        .append("\">")
                        .append(Xml.escape(line))
                        .append("</text>\n");
                y += 14;
            }
        }
        s.append("</g>\n");
    }
}
