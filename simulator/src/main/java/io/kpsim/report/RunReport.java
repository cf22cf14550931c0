package io.kpsim.report;

import java.util.List;

/**
 * Everything {@code kpsim run} reports about one run: the context, the counters, the story of
 * the first reset (if any), why the run ended as it did, and the expectations checked.
 *
 * @param context scenario, seed, kernel and fixes
 * @param metrics the counters
 * @param story the first reset told in five packets, or {@code null} when nothing was reset that way
 * @param diagnosis the verdict and the reasons behind it, see {@link Diagnosis}
 * @param expectations the scenario's expectations, in document order
 * @param laterStories the stories of the later resets, when every reset was told ({@code --all}),
 *                     else empty
 */
public record RunReport(
        RunContext context,
        RunMetrics metrics,
        ResetStory story,
        Diagnosis diagnosis,
        List<ExpectationResult> expectations,
        List<ResetStory> laterStories) {

    /** Copies the lists. */
    public RunReport {
        expectations = List.copyOf(expectations);
        laterStories = List.copyOf(laterStories);
    }

    /** A report with the first reset's story only. */
    public RunReport(
            RunContext context,
            RunMetrics metrics,
            ResetStory story,
            Diagnosis diagnosis,
            List<ExpectationResult> expectations) {
        this(context, metrics, story, diagnosis, expectations, List.of());
    }

    /** Whether every expectation held (vacuously true without any). */
    public boolean passed() {
        for (ExpectationResult e : expectations) {
            if (!e.pass()) {
                return false;
            }
        }
        return true;
    }
}
