package io.kpsim.report.html;

import java.util.List;

/**
 * Draws a {@link Ladder} as SVG: lanes with their names, the time of each row in the left margin,
 * one arrow per hop (labelled with tcpdump's flags and the relative numbers; INVALID hops dashed
 * red, RSTs purple, lost ones stopping short), a box under every node arrival with the conntrack
 * verdict and the NAT rewrite, the story's numbers, and a band wherever packets are left out.
 * Each arrow is a group with {@code data-arrow} and {@code data-packet}, which the page's script
 * uses for clicking and stepping; the same SVG stands alone for slides.
 */
public final class LadderSvg {

    private LadderSvg() {}

    /**
     * The SVG text of {@code ladder}.
     *
     * @param idPrefix prefixes element ids, so several figures can share a page
     * @param small draw the compact version (flags only, short boxes)
     * @param standalone include the figure stylesheet and the XML namespace declarations a file needs
     * @param css the figure stylesheet (used when {@code standalone})
     */
    public static String render(Ladder ladder, String idPrefix, boolean small, boolean standalone, String css) {
        LadderLayout.Style style = small ? LadderLayout.Style.SMALL : LadderLayout.Style.FULL;
        LadderLayout l = LadderLayout.of(ladder, style, small);
        StringBuilder s = new StringBuilder(16_384);
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"kp-fig kp-ladder")
                .append(small ? " small" : "")
                .append("\" id=\"")
                .append(idPrefix)
                .append("\" viewBox=\"0 0 ")
                .append(Fmt.coord(l.width))
                .append(' ')
                .append(Fmt.coord(l.height))
                .append("\" width=\"")
                .append(Fmt.coord(l.width))
                .append("\" height=\"")
                .append(Fmt.coord(l.height))
                .append("\" role=\"img\">\n");
        s.append("<title>Ladder: ").append(Xml.escape(ladder.caption())).append("</title>\n");
        if (standalone) {
            s.append("<style>").append(Xml.escape(css)).append("</style>\n");
            s.append("<rect class=\"paper\" x=\"0\" y=\"0\" width=\"100%\" height=\"100%\"/>\n");
        }
        lanes(s, ladder, l, small);
        gaps(s, l);
        s.append("<g class=\"arrows\">\n");
        for (Arrow a : ladder.arrows()) {
            arrow(s, a, l.lines.get(a.index()), idPrefix, small, a.packetIndex() == ladder.anchorPacket());
        }
        s.append("</g>\n<g class=\"boxes\">\n");
        for (LadderLayout.Box b : l.boxes) {
            box(s, b, ladder.arrows().get(b.arrow()));
        }
        s.append("</g>\n<g class=\"steps\">\n");
        for (StoryMark m : ladder.steps()) {
            LadderLayout.Line line = l.lines.get(m.arrow());
            double x = line.x1() + (line.x2() - line.x1()) * 0.22;
            double y = line.y1() + (line.y2() - line.y1()) * 0.22 - 11;
            s.append("<g class=\"step\" data-step=\"")
                    .append(m.number())
                    .append("\" data-arrow=\"")
                    .append(m.arrow())
                    .append("\"><title>")
                    .append(m.number())
                    .append(". ")
                    .append(Xml.escape(m.title()))
                    .append("</title><circle cx=\"")
                    .append(Fmt.coord(x))
                    .append("\" cy=\"")
                    .append(Fmt.coord(y))
                    .append("\" r=\"")
                    .append(small ? 7 : 9)
                    .append("\"/><text x=\"")
                    .append(Fmt.coord(x))
                    .append("\" y=\"")
                    .append(Fmt.coord(y + (small ? 3.5 : 4)))
                    .append("\">")
                    .append(m.number())
                    .append("</text></g>\n");
        }
        s.append("</g>\n</svg>\n");
        return s.toString();
    }

    private static void lanes(StringBuilder s, Ladder ladder, LadderLayout l, boolean small) {
        s.append("<g class=\"lanes\">\n");
        List<Lane> lanes = ladder.lanes();
        for (int i = 0; i < lanes.size(); i++) {
            Lane lane = lanes.get(i);
            double x = l.laneX[i];
            String kind = lane.kind() == LaneKind.NODE ? "node" : "pod";
            s.append("<line class=\"lane-line ")
                    .append(kind)
                    .append("\" x1=\"")
                    .append(Fmt.coord(x))
                    .append("\" y1=\"")
                    .append(Fmt.coord(l.style.top() - 8))
                    .append("\" x2=\"")
                    .append(Fmt.coord(x))
                    .append("\" y2=\"")
                    .append(Fmt.coord(l.height - 8))
                    .append("\"/>\n<text class=\"lane-title\" x=\"")
                    .append(Fmt.coord(x))
                    .append("\" y=\"")
                    .append(small ? 18 : 22)
                    .append("\">")
                    .append(Xml.escape(lane.name()))
                    .append("</text>\n<text class=\"lane-sub\" x=\"")
                    .append(Fmt.coord(x))
                    .append("\" y=\"")
                    .append(small ? 31 : 38)
                    .append("\">")
                    .append(lane.kind() == LaneKind.NODE ? "netfilter" : "pod" + (small ? "" : " on " + lane.node()))
                    .append("</text>\n");
        }
        if (!small) {
            for (LadderLayout.TimeLabel t : l.times) {
                s.append("<text class=\"time\" x=\"")
                        .append(Fmt.coord(l.style.left() - 120))
                        .append("\" y=\"")
                        .append(Fmt.coord(t.y() + 3.5))
                        .append("\">")
                        .append(Fmt.time(t.nanos()))
                        .append("</text>\n");
            }
        }
        s.append("</g>\n");
    }

    private static void gaps(StringBuilder s, LadderLayout l) {
        s.append("<g class=\"gaps\">\n");
        for (LadderLayout.GapBand g : l.gaps) {
            double mid = g.y() + g.height() / 2;
            String count = Fmt.group(g.gap().packets()) + (g.gap().packets() == 1 ? " packet" : " packets");
            String text = l.style == LadderLayout.Style.SMALL
                    ? "\u22ef " + count + " \u22ef"
                    : count + " of this connection not shown, sent "
                            + Fmt.time(g.gap().fromNanos()) + " \u2013 "
                            + Fmt.time(g.gap().toNanos());
            s.append("<g class=\"gap\"><line x1=\"8\" y1=\"")
                    .append(Fmt.coord(mid))
                    .append("\" x2=\"")
                    .append(Fmt.coord(l.width - 8))
                    .append("\" y2=\"")
                    .append(Fmt.coord(mid))
                    .append("\"/><text x=\"")
                    .append(Fmt.coord(l.width / 2))
                    .append("\" y=\"")
                    .append(Fmt.coord(mid + 4))
                    .append("\">")
                    .append(Xml.escape(text))
                    .append("</text></g>\n");
        }
        s.append("</g>\n");
    }

    /** The classes of an arrow: its packet's kind and what happened on this hop. */
    static String classes(Arrow a) {
        StringBuilder c = new StringBuilder("arrow");
        if (a.packet().protocol() == io.kpsim.packet.Protocol.TCP
                && a.packet().tcp().has(io.kpsim.packet.TcpFlags.RST)) {
            c.append(" rst");
        }
        if (a.invalid()) {
            c.append(" invalid");
        } else if (a.verdict() != null && a.verdict().ignored()) {
            c.append(" ignored");
        }
        if (a.end() == HopEnd.LOST) {
            c.append(" lost");
        } else if (a.end() == HopEnd.DROPPED) {
            c.append(" dropped");
        }
        if (a.injected()) {
            c.append(" injected");
        }
        return c.toString();
    }

    private static void arrow(
            StringBuilder s, Arrow a, LadderLayout.Line line, String idPrefix, boolean small, boolean anchor) {
        double dx = line.x2() - line.x1();
        double dy = line.y2() - line.y1();
        double len = Math.max(1e-6, Math.hypot(dx, dy));
        double ux = dx / len;
        double uy = dy / len;
        double head = small ? 7 : 9;
        double tipX = line.x2() - ux * (a.to() == a.from() ? 0 : 1);
        double tipY = line.y2();
        double baseX = tipX - ux * head;
        double baseY = tipY - uy * head;
        String label = small ? Fmt.flags(a) : Fmt.label(a);
        s.append("<g class=\"")
                .append(classes(a))
                .append(anchor ? " anchor" : "")
                .append("\" id=\"")
                .append(idPrefix)
                .append("-a")
                .append(a.index())
                .append("\" data-arrow=\"")
                .append(a.index())
                .append("\" data-packet=\"")
                .append(a.packetIndex())
                .append("\" tabindex=\"-1\"><title>")
                .append(Xml.escape(Fmt.summary(a.packet())))
                .append("</title>");
        s.append("<line class=\"hit\" x1=\"")
                .append(Fmt.coord(line.x1()))
                .append("\" y1=\"")
                .append(Fmt.coord(line.y1()))
                .append("\" x2=\"")
                .append(Fmt.coord(line.x2()))
                .append("\" y2=\"")
                .append(Fmt.coord(line.y2()))
                .append("\"/>");
        s.append("<line class=\"shaft\" x1=\"")
                .append(Fmt.coord(line.x1()))
                .append("\" y1=\"")
                .append(Fmt.coord(line.y1()))
                .append("\" x2=\"")
                .append(Fmt.coord(baseX))
                .append("\" y2=\"")
                .append(Fmt.coord(baseY))
                .append("\"/>");
        if (a.end() == HopEnd.LOST) {
            s.append("<path class=\"cross\" d=\"M")
                    .append(Fmt.coord(tipX - 5))
                    .append(' ')
                    .append(Fmt.coord(tipY - 5))
                    .append("l10 10m0 -10l-10 10\"/>");
        } else {
            s.append("<path class=\"head\" d=\"M")
                    .append(Fmt.coord(tipX))
                    .append(' ')
                    .append(Fmt.coord(tipY))
                    .append("L")
                    .append(Fmt.coord(baseX - uy * head * 0.45))
                    .append(' ')
                    .append(Fmt.coord(baseY + ux * head * 0.45))
                    .append("L")
                    .append(Fmt.coord(baseX + uy * head * 0.45))
                    .append(' ')
                    .append(Fmt.coord(baseY - ux * head * 0.45))
                    .append("Z\"/>");
        }
        double mx = line.x1() + dx * 0.5;
        double my = line.y1() + dy * 0.5 - 5;
        s.append("<text class=\"label\" x=\"")
                .append(Fmt.coord(mx))
                .append("\" y=\"")
                .append(Fmt.coord(my))
                .append("\">")
                .append(Xml.escape(label))
                .append("</text></g>\n");
    }

    private static void box(StringBuilder s, LadderLayout.Box b, Arrow a) {
        s.append("<g class=\"box ")
                .append(b.kind())
                .append("\" data-arrow=\"")
                .append(b.arrow())
                .append("\"><title>")
                .append(Xml.escape(boxTitle(a)))
                .append("</title><rect x=\"")
                .append(Fmt.coord(b.x()))
                .append("\" y=\"")
                .append(Fmt.coord(b.y()))
                .append("\" width=\"")
                .append(Fmt.coord(b.width()))
                .append("\" height=\"")
                .append(Fmt.coord(b.height()))
                .append("\" rx=\"4\"/>");
        double cx = b.x() + b.width() / 2;
        double lineHeight = b.height() / (b.lines().size() + 0.25);
        for (int i = 0; i < b.lines().size(); i++) {
            s.append("<text class=\"")
                    .append(i == 0 ? "word" : "nat")
                    .append("\" x=\"")
                    .append(Fmt.coord(cx))
                    .append("\" y=\"")
                    .append(Fmt.coord(b.y() + lineHeight * (i + 1) - 2))
                    .append("\">")
                    .append(Xml.escape(b.lines().get(i)))
                    .append("</text>");
        }
        s.append("</g>\n");
    }

    private static String boxTitle(Arrow a) {
        if (a.verdict() != null) {
            StringBuilder t =
                    new StringBuilder("conntrack: ").append(a.verdict().word());
            if (a.verdict().reason() != null) {
                t.append(" \"").append(a.verdict().reason()).append('"');
            }
            t.append("; ").append(a.nat().description());
            if (a.detail() != null) {
                t.append("; dropped: ").append(a.detail());
            }
            return t.toString();
        }
        return a.detail() == null ? "" : a.detail();
    }
}
