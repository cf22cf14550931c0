package io.kpsim.report.html;

import io.kpsim.engine.Durations;
import io.kpsim.report.Diagnosis;
import io.kpsim.report.ResetStory;
import io.kpsim.report.RunContext;
import io.kpsim.report.RunMetrics;
import io.kpsim.report.RunReport;
import io.kpsim.report.StoryStep;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Assembles a {@link Page} from what a run left behind: the text report's {@link RunReport} (the
 * counters, the story's words and the verdict, so the page says exactly what the text says) and
 * the {@link LadderRecorder}'s captured connection, connection book and forged packets.
 */
public final class PageBuilder {

    /** Connections listed one by one; the rest are counted (by endpoint, in the tally). */
    static final int LISTED_CONNECTIONS = 200;

    private PageBuilder() {}

    /** The page of one run. */
    public static Page build(RunReport report, LadderRecorder recorder) {
        RunContext c = report.context();
        ResetStory words = report.story();
        Pictures p = Pictures.of(recorder, words);
        Diagnosis d = report.diagnosis();
        List<String> reasons = new ArrayList<>();
        if (d != null) {
            d.reasons().forEach(r -> reasons.add("why: " + r));
            d.fixes().forEach(f -> reasons.add("fix that would have helped: " + f));
        }
        List<InjectionOutcome> injections = recorder.injections().outcomes();
        return new Page(
                c.scenario(),
                c.description(),
                settings(c, report.metrics()),
                d == null ? verdict(report.metrics()) : d.verdict(),
                reasons,
                p.ladder(),
                p.story(),
                words == null ? null : words.clientLearned(),
                p.plots(),
                counters(report.metrics()),
                p.listed(),
                p.outcomes().size() - p.listed().size(),
                Outcomes.tally(p.outcomes()),
                injections,
                recorder.injections().total - injections.size(),
                List.of());
    }

    /**
     * The page of a replayed capture ({@code kpsim diagnose --html}): the ladder, window plot and
     * outcomes from {@code trace}, the words and counters from the diagnosis, as its text prints them.
     *
     * @param title what was diagnosed (the command and its captures)
     * @param description what the page shows, in one sentence
     * @param settings the node's settings line
     * @param verdict the diagnosis's verdict line
     * @param reasons the findings and fixes, one line each
     * @param counters the diagnosis's numbers
     */
    public static Page replay(
            String title,
            String description,
            String settings,
            String verdict,
            List<String> reasons,
            List<Counter> counters,
            ReplayTrace trace) {
        LadderRecorder recorder = trace.recorder();
        Pictures p = Pictures.of(recorder, recorder.storyPackets() == null ? null : trace.story());
        return new Page(
                title,
                description,
                settings,
                verdict,
                reasons,
                p.ladder(),
                p.story(),
                null,
                p.plots(),
                counters,
                p.listed(),
                p.outcomes().size() - p.listed().size(),
                Outcomes.tally(p.outcomes()),
                List.of(),
                0,
                List.of());
    }

    /**
     * What a recorder's capture draws: the ladder, the window plot, the story in words and every
     * connection's outcome, with the ones a page lists (resets and open ones first).
     */
    private record Pictures(
            Ladder ladder,
            List<WindowPlot> plots,
            List<StoryText> story,
            List<ConnectionOutcome> outcomes,
            List<ConnectionOutcome> listed) {

        static Pictures of(LadderRecorder recorder, ResetStory words) {
            Capture capture = recorder.capture();
            Ladder ladder = capture == null
                    ? null
                    : LadderBuilder.build(capture, recorder.storyPackets(), words, LadderBuilder.Selection.FULL);
            List<WindowPlot> plots = new ArrayList<>();
            if (capture != null) {
                WindowPlot plot = PlotBuilder.build(capture, ladder);
                if (plot != null) {
                    plots.add(plot);
                }
            }
            List<StoryText> story = new ArrayList<>();
            if (words != null) {
                for (StoryStep s : words.steps()) {
                    story.add(new StoryText(s.number(), s.timeNanos(), s.title(), s.facts()));
                }
            }
            List<ConnectionBook.Conn> all = recorder.book().all();
            List<ConnectionOutcome> outcomes = new ArrayList<>(all.size());
            for (ConnectionBook.Conn conn : all) {
                outcomes.add(conn.toOutcome());
            }
            List<ConnectionOutcome> listed = new ArrayList<>(outcomes);
            listed.sort(Comparator.comparingInt((ConnectionOutcome o) -> rank(o.outcome()))
                    .thenComparingLong(ConnectionOutcome::openedNanos));
            return new Pictures(
                    ladder, plots, story, outcomes, listed.subList(0, Math.min(LISTED_CONNECTIONS, listed.size())));
        }
    }

    /** One column of "compare fixes": the run's small ladder around the same packet. */
    public static FixVariant variant(String label, String setting, RunReport report, LadderRecorder recorder) {
        Capture capture = recorder.capture();
        Ladder ladder = capture == null
                ? null
                : LadderBuilder.build(capture, recorder.storyPackets(), report.story(), LadderBuilder.Selection.SMALL);
        RunMetrics m = report.metrics();
        String outcome = m.resets() + (m.resets() == 1 ? " connection" : " connections") + " reset, " + m.invalid()
                + " INVALID (" + m.invalidDropped() + " dropped), " + m.ignored() + " ignored";
        return new FixVariant(label, setting, ladder, outcome, m.resets());
    }

    /** The settings line, as the text report's header says it. */
    static String settings(RunContext c, RunMetrics m) {
        return "seed " + c.seed() + ", kernel " + c.kernel() + ", nf_conntrack_tcp_be_liberal="
                + (c.beLiberal() ? 1 : 0) + ", KUBE-FORWARD INVALID drop " + (c.dropInvalid() ? "on" : "off")
                + ", simulated " + Durations.format(m.simulatedNanos());
    }

    private static String verdict(RunMetrics m) {
        return m.resets() > 0 ? "RESET: " + m.resets() + " reset" : "NO RESET";
    }

    /** The counters with the names of {@code spec.expect} and the JSON summary. */
    static List<Counter> counters(RunMetrics m) {
        List<Counter> list = new ArrayList<>();
        list.add(new Counter("connections", m.connections(), "TCP connections whose handshake completed"));
        list.add(new Counter(
                "completed", m.completed(), "downloads received in full and connect loops closed in order"));
        list.add(new Counter("resets", m.resets(), "connections ended by an accepted RST"));
        list.add(new Counter("invalid", m.invalid(), "packets conntrack marked INVALID, summed over nodes"));
        list.add(new Counter(
                "invalidDropped", m.invalidDropped(), "INVALID packets dropped by KUBE-FORWARD's INVALID rule"));
        list.add(new Counter("ignored", m.ignored(), "window failures a 6.1+ conntrack ignored"));
        list.add(new Counter("packets", m.packets(), "packets the pods sent, forged ones included"));
        list.add(new Counter("injected", m.injected(), "forged packets"));
        list.add(new Counter("injectionsMissed", m.injectionsMissed(), "injections that found no connection"));
        list.add(new Counter("retransmissions", m.retransmissions(), "segments the pods retransmitted"));
        return list;
    }

    private static int rank(Outcome o) {
        switch (o) {
            case RESET:
                return 0;
            case OPEN:
                return 1;
            case NOT_ESTABLISHED:
                return 2;
            case CLOSED:
                return 3;
            default:
                throw new IllegalStateException("unhandled outcome " + o);
        }
    }
}
