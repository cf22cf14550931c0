package io.kpsim.report.html;

import io.kpsim.report.RunObserver;
import io.kpsim.report.RunReport;
import io.kpsim.scenario.Scenario;
import io.kpsim.scenario.ScenarioException;
import io.kpsim.scenario.ScenarioLoader;
import io.kpsim.scenario.ScenarioRun;
import java.nio.file.Path;
import java.util.List;

/** Runs library scenarios with the HTML report's recorder attached, for the tests of this package. */
final class Runs {

    /** A run's report and the recorder that watched it. */
    record Recorded(RunReport report, LadderRecorder recorder) {

        Page page() {
            return PageBuilder.build(report, recorder);
        }
    }

    private Runs() {}

    static Path scenario(String name) {
        return Path.of(System.getProperty("kpsim.root", ".."))
                .toAbsolutePath()
                .normalize()
                .resolve("scenarios")
                .resolve(name + ".yaml");
    }

    static Scenario load(String name, String... overrides) {
        try {
            return ScenarioLoader.load(scenario(name), List.of(overrides));
        } catch (ScenarioException e) {
            throw new AssertionError("library scenario " + name + " does not load: " + e.getMessage(), e);
        }
    }

    /** Runs {@code scenarios/NAME.yaml} as {@code kpsim run --html} does (with conntrack entries). */
    static Recorded run(String name, String... overrides) {
        return run(true, name, overrides);
    }

    /** Runs {@code scenarios/NAME.yaml} with a recorder that does not record conntrack entries. */
    static Recorded withoutEntries(String name, String... overrides) {
        return run(false, name, overrides);
    }

    private static Recorded run(boolean entries, String name, String... overrides) {
        Scenario s = load(name, overrides);
        RunObserver observer = new RunObserver();
        LadderRecorder recorder = new LadderRecorder(observer::storyPackets, entries, -1);
        RunReport report =
                ScenarioRun.run(s, new ScenarioRun.Options(true, null, false, null), null, observer, List.of(recorder));
        return new Recorded(report, recorder);
    }
}
