package io.kpsim.report.html;

import java.util.List;

/**
 * Writes a {@link Page} as one self-contained HTML file: inline stylesheets, script and SVG, no
 * network access, the same bytes for the same page. The markup is polyglot XHTML5 (it parses the
 * same as HTML and as XML), so it opens in any current browser from disk and an XML parser can
 * check it. Without script the page still shows every figure, the story and the tables; the script
 * adds the packet panel, clicking and keyboard step-through.
 */
public final class HtmlPage {

    private HtmlPage() {}

    /** The HTML text of {@code page}. */
    public static String render(Page page) {
        String figuresCss = Resources.text(Resources.FIGURES_CSS);
        StringBuilder s = new StringBuilder(256 * 1024);
        s.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
                .append("<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<meta name=\"generator\" content=\"kpsim\"/>\n")
                .append("<title>kpsim: ")
                .append(Xml.escape(page.title()))
                .append("</title>\n<style>/*<![CDATA[*/\n")
                .append(figuresCss)
                .append(Resources.text(Resources.PAGE_CSS))
                .append("/*]]>*/</style>\n</head>\n<body>\n");
        header(s, page);
        s.append("<main>\n");
        ladder(s, page);
        story(s, page);
        plots(s, page);
        outcomes(s, page);
        compare(s, page);
        hops(s, page);
        s.append("</main>\n<footer><p>Written by kpsim from a simulated run: the same scenario and seed give the same"
                + " page. Sequence numbers on arrows and plots are relative to each side's initial sequence number,"
                + " as Wireshark shows them; the packet panel also gives the absolute ones, and kernel messages keep"
                + " the kernel's absolute numbers.</p></footer>\n");
        if (page.ladder() != null) {
            s.append("<script type=\"application/json\" id=\"kp-data\">")
                    .append(PageData.of(page.ladder()))
                    .append("</script>\n");
        }
        s.append("<script>//<![CDATA[\n")
                .append(Resources.text(Resources.PAGE_JS))
                .append("//]]></script>\n</body>\n</html>\n");
        return s.toString();
    }

    private static void header(StringBuilder s, Page page) {
        s.append("<header>\n<h1>").append(Xml.escape(page.title())).append("</h1>\n");
        if (!page.description().isEmpty()) {
            s.append("<p class=\"description\">")
                    .append(Xml.escape(page.description()))
                    .append("</p>\n");
        }
        s.append("<p class=\"settings\">")
                .append(Xml.escape(page.settings()))
                .append("</p>\n<p class=\"verdict ")
                .append(page.verdict().startsWith("RESET") ? "reset" : "ok")
                .append("\">")
                .append(Xml.escape(page.verdict()))
                .append("</p>\n");
        if (!page.reasons().isEmpty()) {
            s.append("<ul class=\"reasons\">\n");
            for (String r : page.reasons()) {
                s.append("<li>").append(Xml.escape(r)).append("</li>\n");
            }
            s.append("</ul>\n");
        }
        s.append("<nav><a href=\"#ladder\">ladder</a> <a href=\"#story\">story</a> <a href=\"#plots\">window"
                + " plot</a> <a href=\"#outcomes\">outcomes</a>");
        if (!page.compare().isEmpty()) {
            s.append(" <a href=\"#compare\">compare fixes</a>");
        }
        s.append(" <a href=\"#hops\">every hop</a></nav>\n</header>\n");
    }

    private static void ladder(StringBuilder s, Page page) {
        s.append("<section id=\"ladder\">\n<h2>The ladder</h2>\n");
        Ladder l = page.ladder();
        if (l == null) {
            s.append("<p>No packet of this run was marked INVALID or ignored by a node's conntrack, and no"
                    + " connection was reset, so there is no ladder to draw.</p>\n</section>\n");
            return;
        }
        s.append("<p class=\"caption\">")
                .append(Xml.escape(l.caption()))
                .append("</p>\n<p class=\"legend\"><span class=\"key normal\">packet</span> <span class=\"key"
                        + " invalid\">INVALID (travels without conntrack: no NAT)</span> <span class=\"key"
                        + " ignored\">ignored by 6.1+</span> <span class=\"key rst\">RST</span> <span class=\"key"
                        + " lost\">lost</span> <span class=\"key step\">story step</span> <span class=\"hint\">Click an"
                        + " arrow, or press <kbd>n</kbd>/<kbd>p</kbd> (<kbd>\u2193</kbd>/<kbd>\u2191</kbd>) to step"
                        + " through the packets.</span></p>\n<div class=\"ladder-wrap\">\n<div class=\"figure\">\n")
                .append(LadderSvg.render(l, "ladder-fig", false, false, ""))
                .append("</div>\n<aside id=\"panel\" aria-live=\"polite\"><h3>Packet</h3><p class=\"placeholder\">"
                        + "Click an arrow to see the whole packet, what the node's conntrack and NAT did with it, and"
                        + " the conntrack entry before and after.</p></aside>\n</div>\n</section>\n");
    }

    private static void story(StringBuilder s, Page page) {
        s.append("<section id=\"story\">\n<h2>The story</h2>\n");
        if (page.story().isEmpty()) {
            s.append("<p>No connection was reset the way kubernetes issue 74839 describes.</p>\n</section>\n");
            return;
        }
        s.append("<ol class=\"story\">\n");
        for (StoryText t : page.story()) {
            s.append("<li value=\"")
                    .append(t.number())
                    .append("\" data-step=\"")
                    .append(t.number())
                    .append("\"><p class=\"title\"><span class=\"time\">")
                    .append(Fmt.time(t.timeNanos()))
                    .append("</span> ")
                    .append(Xml.escape(t.title()))
                    .append("</p>\n<ul>\n");
            for (String f : t.facts()) {
                s.append("<li>").append(Xml.escape(f)).append("</li>\n");
            }
            s.append("</ul></li>\n");
        }
        s.append("</ol>\n");
        if (page.afterStory() != null) {
            s.append("<p class=\"after\">then: ")
                    .append(Xml.escape(page.afterStory()))
                    .append("</p>\n");
        }
        s.append("</section>\n");
    }

    private static void plots(StringBuilder s, Page page) {
        s.append("<section id=\"plots\">\n<h2>The window plot</h2>\n");
        if (page.plots().isEmpty()) {
            s.append("<p>No segment was marked INVALID or ignored, so there is no window to plot.</p>\n");
        }
        for (int i = 0; i < page.plots().size(); i++) {
            WindowPlot p = page.plots().get(i);
            s.append("<figure class=\"plot\">\n<div class=\"figure\">\n")
                    .append(PlotSvg.render(p, "plot" + i, false, ""))
                    .append("</div>\n<figcaption>")
                    .append(Xml.escape(p.title()))
                    .append(". ")
                    .append(Xml.escape(caption(p)))
                    .append("</figcaption>\n</figure>\n");
        }
        s.append("</section>\n");
    }

    /** What the plot shows about its marked segments, in one or two sentences. */
    static String caption(WindowPlot p) {
        StringBuilder c = new StringBuilder();
        for (PlotMark m : p.marks()) {
            if (m.bound() == null) {
                continue;
            }
            c.append("The segment at ")
                    .append(Fmt.time(m.timeNanos()))
                    .append(" (seq ")
                    .append(Fmt.group(m.seq()))
                    .append(':')
                    .append(Fmt.group(m.end()))
                    .append(") is ")
                    .append(m.verdict().invalid() ? "INVALID" : "ignored")
                    .append(": ")
                    .append(m.bound().label());
            if (m.boundValue() != PlotMark.UNKNOWN) {
                c.append(", which was ").append(Fmt.group(m.boundValue()));
            }
            c.append("; the kernel said \"").append(m.verdict().reason()).append("\". ");
            break;
        }
        if (!p.hasConntrackBounds()) {
            c.append("This run's trace does not record conntrack's entries, so td_end and td_maxend are not drawn;"
                    + " the receiver's ACK and window edge are what conntrack builds them from.");
        }
        return c.toString().trim();
    }

    private static void outcomes(StringBuilder s, Page page) {
        s.append("<section id=\"outcomes\">\n<h2>Outcomes</h2>\n<h3>Counters</h3>\n<table class=\"counters\">"
                + "<thead><tr><th>counter</th><th>value</th><th>what it counts</th></tr></thead><tbody>\n");
        for (Counter c : page.counters()) {
            s.append("<tr data-counter=\"")
                    .append(c.name())
                    .append("\"><td>")
                    .append(c.name())
                    .append("</td><td class=\"num\">")
                    .append(c.value())
                    .append("</td><td>")
                    .append(Xml.escape(c.meaning()))
                    .append("</td></tr>\n");
        }
        s.append("</tbody></table>\n<h3>Endpoints</h3>\n");
        if (page.endpoints().isEmpty()) {
            s.append("<p>No SYN reached an endpoint pod.</p>\n");
        } else {
            s.append("<table class=\"endpoints\"><thead><tr><th>endpoint pod</th><th>address</th><th>connections"
                    + "</th><th>closed</th><th>reset</th><th>open at the end</th></tr></thead><tbody>\n");
            for (EndpointTally e : page.endpoints()) {
                s.append("<tr><td>")
                        .append(Xml.escape(e.pod()))
                        .append("</td><td>")
                        .append(e.address())
                        .append("</td><td class=\"num\">")
                        .append(e.connections())
                        .append("</td><td class=\"num\">")
                        .append(e.closed())
                        .append("</td><td class=\"num\">")
                        .append(e.reset())
                        .append("</td><td class=\"num\">")
                        .append(e.open())
                        .append("</td></tr>\n");
            }
            s.append("</tbody></table>\n");
        }
        connections(s, page);
        injections(s, page);
        s.append("</section>\n");
    }

    private static void connections(StringBuilder s, Page page) {
        s.append("<h3>Connections</h3>\n");
        List<ConnectionOutcome> list = page.connections();
        if (list.isEmpty()) {
            s.append("<p>No TCP connection was opened.</p>\n");
            return;
        }
        s.append("<table class=\"connections\"><thead><tr><th>client</th><th>to</th><th>endpoint</th><th>opened</th>"
                + "<th>ended</th><th>outcome</th></tr></thead><tbody>\n");
        for (ConnectionOutcome o : list) {
            s.append("<tr class=\"")
                    .append(o.outcome().name().toLowerCase(java.util.Locale.ROOT))
                    .append("\"><td>")
                    .append(Xml.escape(o.clientPod()))
                    .append(' ')
                    .append(o.client())
                    .append("</td><td>")
                    .append(o.service())
                    .append("</td><td>")
                    .append(o.endpointPod() == null ? "none" : Xml.escape(o.endpointPod()) + " " + o.endpoint())
                    .append("</td><td>")
                    .append(Fmt.time(o.openedNanos()))
                    .append("</td><td>")
                    .append(o.endedNanos() < 0 ? "" : Fmt.time(o.endedNanos()))
                    .append("</td><td>")
                    .append(outcomeWords(o))
                    .append("</td></tr>\n");
        }
        s.append("</tbody></table>\n");
        if (page.connectionsLeftOut() > 0) {
            s.append("<p>")
                    .append(Fmt.group(page.connectionsLeftOut()))
                    .append(" more connections closed in order are not listed; the endpoint table counts them.</p>\n");
        }
    }

    private static String outcomeWords(ConnectionOutcome o) {
        switch (o.outcome()) {
            case CLOSED:
                return "closed in order";
            case RESET:
                return "reset (" + Xml.escape(o.resetBy()) + " accepted the RST)";
            case OPEN:
                return "still open when the run ended";
            case NOT_ESTABLISHED:
                return "handshake never completed";
            default:
                throw new IllegalStateException("unhandled outcome " + o.outcome());
        }
    }

    private static void injections(StringBuilder s, Page page) {
        s.append("<h3>Forged packets</h3>\n");
        if (page.injections().isEmpty()) {
            s.append("<p>No pod forged a packet in this run.</p>\n");
            return;
        }
        s.append("<table class=\"injections\"><thead><tr><th>written</th><th>by</th><th>packet</th><th>last node</th>"
                + "<th>conntrack</th><th>NAT</th><th>then</th></tr></thead><tbody>\n");
        for (InjectionOutcome i : page.injections()) {
            s.append("<tr><td>")
                    .append(Fmt.time(i.timeNanos()))
                    .append("</td><td>")
                    .append(Xml.escape(i.pod()))
                    .append("</td><td class=\"packet\">")
                    .append(Xml.escape(Fmt.summary(i.packet())))
                    .append(i.what() == null ? "" : "<br/><small>" + Xml.escape(i.what()) + "</small>")
                    .append("</td><td>")
                    .append(i.node() == null ? "none" : Xml.escape(i.node()))
                    .append("</td><td>")
                    .append(i.verdict() == null ? "" : Xml.escape(verdictWords(i.verdict())))
                    .append("</td><td>")
                    .append(i.nat() == null ? "" : Xml.escape(i.nat().label()))
                    .append("</td><td>")
                    .append(i.end() == null ? "" : i.end().name().toLowerCase(java.util.Locale.ROOT))
                    .append(i.detail() == null ? "" : ": " + Xml.escape(i.detail()))
                    .append("</td></tr>\n");
        }
        s.append("</tbody></table>\n");
        if (page.injectionsLeftOut() > 0) {
            s.append("<p>")
                    .append(Fmt.group(page.injectionsLeftOut()))
                    .append(" more forged packets are counted but not listed.</p>\n");
        }
    }

    private static String verdictWords(CtVerdict v) {
        return v.reason() == null ? v.word() : v.word() + ": " + v.reason();
    }

    private static void compare(StringBuilder s, Page page) {
        if (page.compare().isEmpty()) {
            return;
        }
        s.append("<section id=\"compare\">\n<h2>Compare fixes</h2>\n<p>The same scenario and seed, run three times;"
                + " each ladder follows the same packet.</p>\n<div class=\"compare\">\n");
        for (int i = 0; i < page.compare().size(); i++) {
            FixVariant v = page.compare().get(i);
            s.append("<figure class=\"variant\" data-resets=\"")
                    .append(v.resets())
                    .append("\">\n<figcaption><strong>")
                    .append(Xml.escape(v.label()))
                    .append("</strong><br/><code>")
                    .append(Xml.escape(v.setting()))
                    .append("</code><br/>")
                    .append(Xml.escape(v.outcome()))
                    .append("</figcaption>\n<div class=\"figure\">\n");
            if (v.ladder() == null) {
                s.append("<p>The packet never reached a node in this run.</p>\n");
            } else {
                s.append(LadderSvg.render(v.ladder(), "fix" + i, true, false, ""));
            }
            s.append("</div>\n</figure>\n");
        }
        s.append("</div>\n</section>\n");
    }

    private static void hops(StringBuilder s, Page page) {
        Ladder l = page.ladder();
        if (l == null) {
            return;
        }
        s.append("<section id=\"hops\">\n<h2>Every hop in the ladder</h2>\n<details class=\"hops\"><summary>"
                + "One line per arrow: the packet as it travelled, and what the lane at its head did.</summary>\n"
                + "<table><thead><tr><th>#</th><th>hop</th><th>left</th><th>arrived</th><th>packet</th>"
                + "<th>conntrack</th><th>NAT</th><th>then</th></tr></thead><tbody>\n");
        for (Arrow a : l.arrows()) {
            s.append("<tr data-arrow=\"")
                    .append(a.index())
                    .append("\"><td>")
                    .append(a.index() + 1)
                    .append("</td><td>")
                    .append(Xml.escape(l.lanes().get(a.from()).name()))
                    .append(" \u2192 ")
                    .append(Xml.escape(l.lanes().get(a.to()).name()))
                    .append("</td><td>")
                    .append(Fmt.time(a.departNanos()))
                    .append("</td><td>")
                    .append(Fmt.time(a.arriveNanos()))
                    .append("</td><td class=\"packet\">")
                    .append(Xml.escape(Fmt.label(a)))
                    .append("<br/><small>")
                    .append(Xml.escape(Fmt.summary(a.packet())))
                    .append("</small></td><td>")
                    .append(a.verdict() == null ? "" : Xml.escape(verdictWords(a.verdict())))
                    .append("</td><td>")
                    .append(a.nat() == null ? "" : Xml.escape(a.nat().description()))
                    .append("</td><td>")
                    .append(a.end().name().toLowerCase(java.util.Locale.ROOT))
                    .append(a.detail() == null ? "" : ": " + Xml.escape(a.detail()))
                    .append("</td></tr>\n");
        }
        s.append("</tbody></table>\n</details>\n</section>\n");
    }
}
