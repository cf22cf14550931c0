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

    /** Runs {@code scenarios/NAME.yaml} with {@code overrides}, recording for pictures. */
    static Recorded run(String name, ConntrackWitness witness, long anchor, String... overrides) {
        try {
            Scenario s = ScenarioLoader.load(scenario(name), List.of(overrides));
            RunObserver observer = new RunObserver();
            LadderRecorder recorder = new LadderRecorder(observer::storyPackets, witness, anchor);
            RunReport report =
                    ScenarioRun.run(s, new ScenarioRun.Options(true, null, false, null), observer, List.of(recorder));
            return new Recorded(report, recorder);
        } catch (ScenarioException e) {
            throw new AssertionError("library scenario " + name + " does not load: " + e.getMessage(), e);
        }
    }

    static Recorded run(String name, String... overrides) {
        return run(name, ConntrackWitness.NONE, -1, overrides);
    }
}
