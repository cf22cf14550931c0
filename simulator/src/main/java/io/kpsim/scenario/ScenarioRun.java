package io.kpsim.scenario;

import io.kpsim.cluster.Cluster;
import io.kpsim.cluster.Node;
import io.kpsim.cluster.NodeSpec;
import io.kpsim.cluster.PodSpec;
import io.kpsim.cluster.RunEstimate;
import io.kpsim.cluster.TraceListener;
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
     * How often, in events, a progress meter hears the simulated time within a slice: often, as one
     * event can be heavy (a link delivering a whole window of packets at once), and the meter only
     * reads a clock when it hears.
     */
    static final long PROGRESS_EVENTS = 16;

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
     * Runs {@code scenario}, writing captures into {@code options.pcapDir()} when it is set.
     *
     * @throws io.kpsim.cluster.ClusterSpecException when the model refuses the scenario (one line,
     *         naming what)
     * @throws io.kpsim.pcap.CaptureException when the captures cannot be written (naming the
     *         directory or file and why); nothing half-written is left behind
     */
    public static RunReport run(Scenario scenario, Options options) {
        if (options.pcapDir() == null) {
            return run(scenario, options, null);
        }
        try (PcapRecorder pcap = openCaptures(scenario.spec(), options)) {
            RunReport report = run(scenario, options, pcap);
            pcap.commit();
            return report;
        }
    }

    /**
     * How big a run of {@code scenario} will be, worked out without building or running it.
     *
     * @param narrated whether the run tells a story (text and JSON output; not {@code --quiet})
     * @throws io.kpsim.cluster.ClusterSpecException when the model refuses the scenario (as a run would)
     */
    public static RunEstimate estimate(Scenario scenario, boolean narrated) {
        return ScenarioBuilder.builder(scenario.spec()).estimate(scenario.spec().durationNanos(), narrated);
    }

    /**
     * Claims {@code options.pcapDir()} and opens the captures of a run of {@code spec} there (see
     * {@link PcapRecorder#open(Path, List, Map, boolean, int)}), for a caller that wants to hold
     * the recorder itself: to commit it, or to keep what it has on an interrupt.
     */
    public static PcapRecorder openCaptures(ScenarioSpec spec, Options options) {
        return PcapRecorder.open(
                options.pcapDir(), nodeNames(spec), podNodes(spec), options.force(), options.snapLength());
    }

    /** The capture files a run of {@code spec} writes with {@code --pcap}, in order. */
    public static List<String> captureNames(ScenarioSpec spec) {
        return PcapRecorder.fileNames(nodeNames(spec), podNodes(spec));
    }

    /**
     * Runs {@code scenario}, recording into {@code pcap} (ignoring {@code options.pcapDir()}); the
     * caller commits or closes the recorder.
     *
     * @param pcap an open recorder, or {@code null} for no captures
     * @throws io.kpsim.cluster.ClusterSpecException when the model refuses the scenario
     */
    public static RunReport run(Scenario scenario, Options options, PcapRecorder pcap) {
        return run(scenario, options, pcap, options.narrate() ? new RunObserver() : null, List.of());
    }

    /**
     * Runs {@code scenario} told by {@code observer} (or untold when {@code null}), recording into
     * {@code pcap} (or nothing when {@code null}), with more trace listeners registered after the
     * observer (pictures that ask the observer for the story as it unfolds).
     *
     * @throws io.kpsim.cluster.ClusterSpecException when the model refuses the scenario
     */
    public static RunReport run(
            Scenario scenario,
            Options options,
            PcapRecorder pcap,
            RunObserver observer,
            List<TraceListener> listeners) {
        ScenarioSpec spec = scenario.spec();
        Cluster cluster = ScenarioBuilder.build(spec);
        if (observer != null) {
            cluster.addTraceListener(observer);
        }
        for (TraceListener listener : listeners) {
            cluster.addTraceListener(listener);
        }
        if (pcap != null) {
            cluster.addTraceListener(pcap);
        }
        if (options.progress() != null) {
            options.progress()
                    .expect(
                            estimate(scenario, options.narrate()).packets(),
                            () -> cluster.results().packetsSent());
            cluster.simulation().watch(PROGRESS_EVENTS, options.progress()::at);
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
                spec.kubeProxy().invalidDropped(spec.conntrackSysctls().tcpBeLiberal()),
                spec.durationNanos(),
                spec.kubeProxy().mode()
                        + (spec.kubeProxy().version().isPresent()
                                ? " " + spec.kubeProxy().version().get()
                                : ""));
        return observer != null
                ? observer.report(context, metrics, expectations)
                : new RunReport(context, metrics, null, null, expectations);
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
        return switch (metric) {
            case CONNECTIONS -> m.connections();
            case COMPLETED -> m.completed();
            case RESETS -> m.resets();
            case INVALID -> m.invalid();
            case INVALID_DROPPED -> m.invalidDropped();
            case IGNORED -> m.ignored();
            case PACKETS -> m.packets();
            case INJECTED -> m.injected();
            case INJECTIONS_MISSED -> m.injectionsMissed();
            case RETRANSMISSIONS -> m.retransmissions();
        };
    }

    private static List<String> nodeNames(ScenarioSpec spec) {
        List<String> nodes = new ArrayList<>();
        for (NodeSpec n : spec.nodes()) {
            nodes.add(n.name());
        }
        return nodes;
    }

    private static Map<String, String> podNodes(ScenarioSpec spec) {
        Map<String, String> m = new LinkedHashMap<>();
        for (PodSpec p : spec.pods()) {
            m.put(p.name(), p.node());
        }
        return m;
    }

    /** The {@code iptables-save} text of node {@code name}'s rules, as the scenario builds them. */
    public static String rules(ScenarioSpec spec, String name) {
        if (spec.kubeProxy().nftables().isPresent()) {
            return ScenarioBuilder.builder(spec).nftablesRuleset(name);
        }
        Cluster cluster = ScenarioBuilder.build(spec);
        Node node = cluster.nodes().get(name);
        if (node == null) {
            throw new IllegalArgumentException("no node named '" + name + "' (the scenario has "
                    + String.join(", ", cluster.nodes().keySet()) + ")");
        }
        return IptablesSave.render(node.datapath().rules());
    }
}
