package io.kpsim.report.html;

import java.util.List;
import java.util.Locale;

/**
 * The outcomes as {@code kpsim run} prints them beside the story: one line per reset connection
 * (who opened it, to which address, which endpoint served it, which socket accepted the RST), one
 * line per forged packet (where conntrack judged it last, what NAT did, how its path ended and
 * what the receiving stack did), and the connections per endpoint pod. The lines count what the
 * summary counts: as many reset lines as the summary's {@code reset}, as many forged-packet lines
 * as its {@code injected} (beyond {@link InjectionBook#KEEP}, a count of the rest).
 */
public final class OutcomeText {

    private OutcomeText() {}

    /** The outcome sections, each line ending with a newline; empty when the run opened no connection. */
    public static String render(Outcomes o) {
        StringBuilder s = new StringBuilder();
        List<ConnectionOutcome> resets = o.resets();
        if (!resets.isEmpty()) {
            s.append("every reset (").append(resets.size()).append("):\n");
            for (ConnectionOutcome c : resets) {
                s.append("  ").append(resetLine(c)).append('\n');
            }
        }
        long forged = o.injections().size() + o.injectionsNotFollowed();
        if (forged > 0) {
            s.append("every forged packet (").append(forged).append("):\n");
            for (InjectionOutcome i : o.injections()) {
                s.append("  ").append(injectionLine(i)).append('\n');
            }
            if (o.injectionsNotFollowed() > 0) {
                s.append("  ")
                        .append(o.injectionsNotFollowed())
                        .append(" more forged packets are counted but not followed\n");
            }
        }
        if (!o.endpoints().isEmpty()) {
            s.append("per endpoint (the pod each connection's SYN reached after DNAT):\n");
            for (EndpointTally e : o.endpoints()) {
                s.append("  ").append(endpointLine(e)).append('\n');
            }
        }
        return s.toString();
    }

    /** {@code 0.014272s  client 10.244.1.2:48368 -> 10.96.0.10:80, endpoint server 10.244.2.2:8080: ...}. */
    static String resetLine(ConnectionOutcome c) {
        return Fmt.time(c.endedNanos()) + "  " + c.clientPod() + " " + c.client() + " -> " + c.service()
                + ", endpoint " + (c.endpointPod() == null ? "none" : c.endpointPod() + " " + c.endpoint())
                + ": reset, " + c.resetBy() + " accepted the RST";
    }

    /** One forged packet's fate in one line. */
    static String injectionLine(InjectionOutcome i) {
        StringBuilder s = new StringBuilder()
                .append(Fmt.time(i.timeNanos()))
                .append("  ")
                .append(i.pod())
                .append(": ")
                .append(i.what() == null ? "forged packet" : i.what());
        if (i.node() == null) {
            s.append("; reached no node");
        } else {
            s.append("; last node ").append(i.node()).append(": ");
            s.append(i.verdict() == null ? "not tracked" : i.verdict().word());
            if (i.verdict() != null && i.verdict().reason() != null) {
                s.append(" (\"").append(i.verdict().reason()).append("\")");
            }
            if (i.nat() != null) {
                s.append(", ").append(i.nat().label());
            }
        }
        String end = i.end() == null ? null : i.end().name().toLowerCase(Locale.ROOT);
        if (end != null && i.detail() != null && i.detail().startsWith(end)) {
            s.append("; ").append(i.detail()); // "dropped by filter KUBE-FORWARD ...": the word once
        } else {
            if (end != null) {
                s.append("; ").append(end);
            }
            if (i.detail() != null) {
                s.append(end == null ? "; " : ": ").append(i.detail());
            }
        }
        return s.toString();
    }

    /** {@code server 10.244.2.2:8080: 10 connections, 9 closed, 1 reset, 0 open at the end}. */
    static String endpointLine(EndpointTally e) {
        return e.pod() + " " + e.address() + ": " + e.connections()
                + (e.connections() == 1 ? " connection, " : " connections, ") + e.closed() + " closed in order, "
                + e.reset() + " reset, " + e.open() + " open at the end";
    }
}
