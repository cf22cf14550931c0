package io.kpsim.scenario;

import io.kpsim.cluster.Cluster;
import io.kpsim.cluster.Node;
import io.kpsim.cluster.Pod;
import io.kpsim.netfilter.IptablesSave;
import io.kpsim.report.ExpectationResult;
import io.kpsim.report.PcapRecorder;
import io.kpsim.report.ProgressMeter;
import io.kpsim.report.RunContext;
import io.kpsim.report.RunMetrics;
import io.kpsim.report.RunObserver;
import io.kpsim.report.RunReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a loaded {@link Scenario}: builds its cluster ({@link ScenarioBuilder}), attaches the
 * observers asked for (the narration's {@link RunObserver}, the {@code --pcap} recorder), runs the
 * simulated duration in fixed slices (so a progress meter can follow without changing anything),
 * and evaluates {@code spec.expect} against the counters.
 */
public final class ScenarioRun {

    /** How many slices a run is cut into; fixed, so output never depends on whether progress is shown. */
    static final int SLICES = 100;

    /**
     * What to collect besides the counters.
     *
     * @param narrate whether to trace the run for the story and the diagnosis (text output)
     * @param pcapDir where to write captures, or {@code null}
     * @param force whether existing captures may be replaced
     * @param progress a meter to update, or {@code null}
     * @param snapLength bytes of each frame the captures keep ({@code tcpdump -s}; 0: whole frames)
     */
    public record Options(boolean narrate, Path pcapDir, boolean force, ProgressMeter progress, int snapLength) {

        /** The default snap length of {@code kpsim run --pcap}: headers only, as {@code tcpdump -s 128}. */
        public static final int DEFAULT_SNAP_LENGTH = PcapRecorder.DEFAULT_SNAP_LENGTH;

        /** Options with captures of {@link #DEFAULT_SNAP_LENGTH} bytes per frame. */
        public Options(boolean narrate, Path pcapDir, boolean force, ProgressMeter progress) {
            this(narrate, pcapDir, force, progress, DEFAULT_SNAP_LENGTH);
        }
    }

    private ScenarioRun() {}

    /**
     * Runs {@code scenario}.
     *
     * @throws IllegalArgumentException when the model refuses the scenario or a capture target
     *                                  exists (one line, naming what)
     */
    public static RunReport run(Scenario scenario, Options options) {
        ScenarioSpec spec = scenario.spec();
        Cluster cluster = ScenarioBuilder.build(spec);
        RunObserver observer = null;
        if (options.narrate()) {
            observer = new RunObserver();
            cluster.addTraceListener(observer);
        }
        try (PcapRecorder pcap = options.pcapDir() == null
                ? null
                : PcapRecorder.open(
                        options.pcapDir(),
                        nodeNames(cluster),
                        podNodes(cluster),
                        options.force(),
                        options.snapLength())) {
            if (pcap != null) {
                cluster.addTraceListener(pcap);
            }
            long done = 0;
            long slice = Math.max(1, spec.durationNanos() / SLICES);
            while (done < spec.durationNanos()) {
                long step = Math.min(slice, spec.durationNanos() - done);
                cluster.advance(step);
                done += step;
                if (options.progress() != null) {
                    options.progress().at(done);
                }
            }
            if (options.progress() != null) {
                options.progress().done();
            }
            RunMetrics metrics = RunMetrics.of(cluster.results());
            List<ExpectationResult> expectations = evaluate(spec.expectations(), metrics);
            RunContext context = new RunContext(
                    scenario.metadata().name(),
                    scenario.metadata().description(),
                    scenario.source(),
                    spec.seed(),
                    spec.kernel(),
                    spec.conntrackSysctls().tcpBeLiberal(),
                    spec.kubeProxy().dropInvalid(),
                    spec.durationNanos());
            RunReport report = observer != null
                    ? observer.report(context, metrics, expectations)
                    : new RunReport(context, metrics, null, null, expectations);
            if (pcap != null) {
                pcap.commit();
            }
            return report;
        }
    }

    /** Checks each expectation against the run's counters, in document order. */
    static List<ExpectationResult> evaluate(List<Expectation> expectations, RunMetrics m) {
        List<ExpectationResult> results = new ArrayList<>();
        for (Expectation e : expectations) {
            long actual = actual(e.metric(), m);
            results.add(new ExpectationResult(
                    e.metric().yamlName(), e.comparison().symbol() + " " + e.value(), actual, e.test(actual)));
        }
        return results;
    }

    /** The counter a metric names. */
    static long actual(Metric metric, RunMetrics m) {
        switch (metric) {
            case CONNECTIONS:
                return m.connections();
            case COMPLETED:
                return m.completed();
            case RESETS:
                return m.resets();
            case INVALID:
                return m.invalid();
            case INVALID_DROPPED:
                return m.invalidDropped();
            case PACKETS:
                return m.packets();
            case RETRANSMISSIONS:
                return m.retransmissions();
            default:
                throw new IllegalStateException("unhandled metric " + metric);
        }
    }

    private static List<String> nodeNames(Cluster cluster) {
        return new ArrayList<>(cluster.nodes().keySet());
    }

    private static Map<String, String> podNodes(Cluster cluster) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Pod p : cluster.pods().values()) {
            m.put(p.name(), p.node().name());
        }
        return m;
    }

    /** The {@code iptables-save} text of node {@code name}'s rules, as the scenario builds them. */
    public static String rules(ScenarioSpec spec, String name) {
        Cluster cluster = ScenarioBuilder.build(spec);
        Node node = cluster.nodes().get(name);
        if (node == null) {
            throw new IllegalArgumentException("no node named '" + name + "' (the scenario has "
                    + String.join(", ", cluster.nodes().keySet()) + ")");
        }
        return IptablesSave.render(node.datapath().rules());
    }
}
