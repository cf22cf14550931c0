package io.kpsim.report;

import io.kpsim.engine.Durations;

/**
 * {@code kpsim run}'s narration: what ran, the first reset told as the blog's five packets with
 * every hop, one line of outcome counters, the verdict with its reasons (or the fixes that would
 * have helped), and the expectations with pass/fail. Plain text, at most ~110 columns for the
 * prose, deterministic for a given scenario and seed.
 */
public final class TextReport {

    private static final String INDENT = "    ";

    private TextReport() {}

    /** The narration of {@code r}, ending with a newline. */
    public static String render(RunReport r) {
        return render(r, "");
    }

    /**
     * The narration of {@code r} with {@code outcomes} (lines ending with a newline: every reset,
     * every forged packet, the connections per endpoint) between the story and the counters.
     */
    public static String render(RunReport r, String outcomes) {
        StringBuilder s = new StringBuilder(4096);
        header(s, r.context(), r.metrics());
        if (r.story() != null) {
            story(s, r.story(), "The first reset", true);
        }
        int n = 2;
        for (ResetStory later : r.laterStories()) {
            story(s, later, "Reset " + n++, false);
        }
        if (!outcomes.isEmpty()) {
            s.append('\n').append(outcomes);
        }
        s.append('\n').append(outcome(r.metrics())).append('\n');
        if (r.diagnosis() != null) {
            diagnosis(s, r.diagnosis());
        }
        expectations(s, r);
        return s.toString();
    }

    private static void header(StringBuilder s, RunContext c, RunMetrics m) {
        s.append("kpsim run ")
                .append(c.scenario())
                .append(" (")
                .append(c.source())
                .append(")\n");
        if (!c.description().isEmpty()) {
            s.append(c.description()).append('\n');
        }
        s.append("seed ")
                .append(c.seed())
                .append(", kernel ")
                .append(c.kernel())
                .append(", nf_conntrack_tcp_be_liberal=")
                .append(c.beLiberal() ? 1 : 0)
                .append(c.kubeProxy().equals("iptables") ? ", KUBE-FORWARD" : ", kube-proxy " + c.kubeProxy() + ",")
                .append(" INVALID drop ")
                .append(c.dropInvalid() ? "on" : "off")
                .append(", simulated ")
                .append(Durations.format(m.simulatedNanos()))
                .append('\n');
    }

    private static void story(StringBuilder s, ResetStory story, String which, boolean first) {
        s.append('\n')
                .append(which)
                .append(" (")
                .append(story.clientPod())
                .append("'s connection, at ")
                .append(HopText.time(story.resetAtNanos()))
                .append("), told as the blog's five packets:\n");
        if (story.relativeSeq() && first) {
            s.append(
                    "(TCP numbers are relative to each side's initial sequence number, as tcpdump and Wireshark print"
                            + " them; --absolute-seq prints the raw ones. The kernel's own words keep its absolute numbers.)\n");
        }
        for (StoryStep step : story.steps()) {
            s.append("\n(")
                    .append(step.number())
                    .append(") ")
                    .append(HopText.time(step.timeNanos()))
                    .append("  ")
                    .append(step.title())
                    .append('\n');
            for (String fact : step.facts()) {
                s.append(INDENT).append(fact).append('\n');
            }
            if (!step.hops().isEmpty()) {
                s.append(INDENT).append("hops:\n");
                for (String hop : step.hops()) {
                    s.append(INDENT).append("  ").append(hop).append('\n');
                }
            }
        }
        if (story.clientLearned() != null) {
            s.append("\nthen: ").append(story.clientLearned()).append('\n');
        }
    }

    /** The one-line outcome, e.g. {@code connections 10, completed 9, reset 1, INVALID packets 3 (dropped 0)}. */
    public static String outcome(RunMetrics m) {
        return "connections " + m.connections() + ", completed " + m.completed() + ", reset " + m.resets()
                + ", INVALID packets " + m.invalid() + " (dropped " + m.invalidDropped() + "), ignored "
                + m.ignored() + ", packets " + m.packets() + ", retransmissions " + m.retransmissions();
    }

    private static void diagnosis(StringBuilder s, Diagnosis d) {
        s.append('\n').append(d.verdict()).append('\n');
        for (String reason : d.reasons()) {
            s.append("  why: ").append(reason).append('\n');
        }
        if (!d.fixes().isEmpty()) {
            s.append("  fixes that would have helped:\n");
            for (String fix : d.fixes()) {
                s.append("    - ").append(fix).append('\n');
            }
        }
    }

    private static void expectations(StringBuilder s, RunReport r) {
        if (r.expectations().isEmpty()) {
            s.append("\nno expectations: PASS\n");
            return;
        }
        s.append("\nexpectations:\n");
        int width = 0;
        for (ExpectationResult e : r.expectations()) {
            width = Math.max(width, e.text().length());
        }
        int held = 0;
        for (ExpectationResult e : r.expectations()) {
            held += e.pass() ? 1 : 0;
            s.append("  ")
                    .append(e.pass() ? "PASS  " : "FAIL  ")
                    .append(e.text())
                    .append(" ".repeat(width - e.text().length()))
                    .append("  (actual ")
                    .append(e.actual())
                    .append(")\n");
        }
        s.append(r.passed() ? "PASS" : "FAIL")
                .append(": ")
                .append(held)
                .append(" of ")
                .append(r.expectations().size())
                .append(" expectations held\n");
    }
}
