package io.kpsim.report.html;

import java.util.List;

/**
 * Everything one HTML report shows, as numbers and the kernel's words; nothing here is laid out
 * or formatted for a screen yet ({@link HtmlPage} and {@link LadderSvg} do that).
 *
 * @param title the scenario's name
 * @param description what the scenario is
 * @param settings one line: seed, kernel, the two fixes, simulated time
 * @param verdict the run's verdict line ("RESET: 1 connection reset by peer")
 * @param reasons the verdict's reasons and the fixes that would have helped, as the text says them
 * @param ladder the ladder around the reset (or around the first packet conntrack did not simply
 *               accept), or {@code null} when the run has no such packet
 * @param story the numbered steps in words (empty without a reset)
 * @param afterStory how the client learned of the reset, or {@code null}
 * @param plots window plots (the reset connection's, or the connection with ignored packets)
 * @param counters the run's counters, as the text prints them
 * @param connections per-connection outcomes (resets and open ones first; at most a page's worth)
 * @param connectionsLeftOut connections not listed
 * @param endpoints connections per endpoint pod
 * @param injections forged packets and their fates (the first ones)
 * @param injectionsLeftOut forged packets not listed
 * @param compare the "compare fixes" columns, or empty
 */
public record Page(
        String title,
        String description,
        String settings,
        String verdict,
        List<String> reasons,
        Ladder ladder,
        List<StoryText> story,
        String afterStory,
        List<WindowPlot> plots,
        List<Counter> counters,
        List<ConnectionOutcome> connections,
        long connectionsLeftOut,
        List<EndpointTally> endpoints,
        List<InjectionOutcome> injections,
        long injectionsLeftOut,
        List<FixVariant> compare) {

    /** Copies the lists. */
    public Page {
        reasons = List.copyOf(reasons);
        story = List.copyOf(story);
        plots = List.copyOf(plots);
        counters = List.copyOf(counters);
        connections = List.copyOf(connections);
        endpoints = List.copyOf(endpoints);
        injections = List.copyOf(injections);
        compare = List.copyOf(compare);
    }

    /** This page with the "compare fixes" columns. */
    public Page withCompare(List<FixVariant> variants) {
        return new Page(
                title,
                description,
                settings,
                verdict,
                reasons,
                ladder,
                story,
                afterStory,
                plots,
                counters,
                connections,
                connectionsLeftOut,
                endpoints,
                injections,
                injectionsLeftOut,
                variants);
    }
}
