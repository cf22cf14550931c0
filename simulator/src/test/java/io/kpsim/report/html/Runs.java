package io.kpsim.report.html;

import io.kpsim.cluster.Cluster;
import io.kpsim.report.RunContext;
import io.kpsim.report.RunMetrics;
import io.kpsim.report.RunObserver;
import io.kpsim.report.RunReport;
import io.kpsim.scenario.Scenario;
import io.kpsim.scenario.ScenarioBuilder;
import io.kpsim.scenario.ScenarioException;
import io.kpsim.scenario.ScenarioLoader;
import io.kpsim.scenario.ScenarioRun;
import io.kpsim.scenario.ScenarioSpec;
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

    /** Runs {@code scenarios/NAME.yaml} as {@code kpsim run --html} does (no conntrack entries). */
    static Recorded run(String name, String... overrides) {
        Scenario s = load(name, overrides);
        RunObserver observer = new RunObserver();
        LadderRecorder recorder = LadderRecorder.of(observer);
        RunReport report =
                ScenarioRun.run(s, new ScenarioRun.Options(true, null, false, null), null, observer, List.of(recorder));
        return new Recorded(report, recorder);
    }

    /**
     * Runs {@code scenarios/NAME.yaml} with the conntrack entries read from the nodes' tables
     * ({@link ClusterWitness}), in the same slices as {@link ScenarioRun}.
     */
    static Recorded withEntries(String name, String... overrides) {
        Scenario s = load(name, overrides);
        ScenarioSpec spec = s.spec();
        Cluster cluster = ScenarioBuilder.build(spec);
        RunObserver observer = new RunObserver();
        LadderRecorder recorder = new LadderRecorder(observer::storyPackets, new ClusterWitness(cluster), -1);
        cluster.addTraceListener(observer);
        cluster.addTraceListener(recorder);
        long done = 0;
        long slice = Math.max(1, spec.durationNanos() / 100);
        while (done < spec.durationNanos()) {
            long step = Math.min(slice, spec.durationNanos() - done);
            cluster.run(step);
            done += step;
        }
        RunMetrics metrics = RunMetrics.of(cluster.results());
        RunContext context = new RunContext(
                s.metadata().name(),
                s.metadata().description(),
                s.source(),
                spec.seed(),
                spec.kernel(),
                spec.conntrackSysctls().tcpBeLiberal(),
                spec.kubeProxy().dropInvalid(),
                spec.durationNanos());
        return new Recorded(observer.report(context, metrics, List.of()), recorder);
    }
}
