package io.kpsim.scenario;

import io.kpsim.cluster.NodeSpec;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.netfilter.nftables.KubeProxyNftBand;
import io.kpsim.report.ProgressMeter;
import io.kpsim.report.RunMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code kpsim matrix}: one scenario run over a grid of kernel × kube-proxy mode × release ×
 * be_liberal, to answer "am I protected with mode X, version Y, kernel Z?" row by row.
 *
 * <p>Every combination is the scenario loaded with overrides ({@code spec.kernel}, {@code
 * spec.kubeProxy.mode/version}, {@code spec.kubeProxy.dropInvalid=false} so that only kube-proxy's
 * own rules decide, {@code nf_conntrack_tcp_be_liberal}); nftables mode is only combined with the
 * releases that have it (1.29+). Combinations whose nodes end up identical (the same kernel and
 * sysctls, the same nftables band or the same iptables INVALID drop: iptables 1.15 and 1.29 without
 * be_liberal, say) are run once and share the counters, which is safe because a run depends on
 * nothing else and the same spec and seed give the same run. The distinct runs go to a pool of
 * threads; each builds its own cluster, so they share no state, and the rows come back in grid
 * order whatever finishes first: the output is the same for any number of threads.
 */
public final class Matrix {

    /**
     * The grid.
     *
     * @param kernels the kernel profiles, in the order the rows list them
     * @param modes {@code iptables} and/or {@code nftables}
     * @param releases the kube-proxy releases
     * @param beLiberal the values of {@code nf_conntrack_tcp_be_liberal}
     */
    public record Axes(
            List<KernelProfile> kernels, List<String> modes, List<KubeProxyRelease> releases, List<Boolean> beLiberal) {

        /**
         * The default grid: the kernels of the 2019 reports (4.19), kind's CI (5.15), the first with
         * the "ignore" fix (6.1) and today's (6.18); iptables and nftables; 1.14 (no drop), 1.15
         * (the drop), 1.29 (the drop unless be_liberal, nftables alpha with its own drop) and 1.34;
         * be_liberal off and on.
         */
        public static final Axes DEFAULT = new Axes(
                List.of(KernelProfile.V4_19, KernelProfile.V5_15, KernelProfile.V6_1, KernelProfile.V6_18),
                List.of("iptables", "nftables"),
                List.of(
                        new KubeProxyRelease(14),
                        new KubeProxyRelease(15),
                        new KubeProxyRelease(29),
                        new KubeProxyRelease(34)),
                List.of(false, true));

        /** Copies; every axis needs a value. */
        public Axes {
            kernels = List.copyOf(kernels);
            modes = List.copyOf(modes);
            releases = List.copyOf(releases);
            beLiberal = List.copyOf(beLiberal);
            if (kernels.isEmpty() || modes.isEmpty() || releases.isEmpty() || beLiberal.isEmpty()) {
                throw new IllegalArgumentException("every axis of the matrix needs at least one value");
            }
        }
    }

    /** A combination, loaded. */
    private record Cell(
            String scenario,
            KernelProfile kernel,
            String mode,
            KubeProxyRelease release,
            boolean beLiberal,
            Scenario loaded) {}

    /** What makes two runs the same run (see the class comment). */
    private record RunKey(
            int scenario,
            KernelProfile kernel,
            Sysctls sysctls,
            Optional<KubeProxyNftBand> band,
            List<Boolean> drops) {}

    private final List<Cell> cells;
    private final Map<RunKey, Scenario> runs;
    private final List<RunKey> keys;

    private Matrix(List<Cell> cells, Map<RunKey, Scenario> runs, List<RunKey> keys) {
        this.cells = cells;
        this.runs = runs;
        this.keys = keys;
    }

    /** Whether kube-proxy {@code release} has {@code mode} (nftables since 1.29). */
    public static boolean exists(String mode, KubeProxyRelease release) {
        return mode.equals("iptables") || release.minor() >= 29;
    }

    /**
     * Loads every combination of {@code files} and {@code axes}, in the order the rows will be
     * printed: scenario, kernel, mode, release, be_liberal.
     *
     * @throws ScenarioException the first combination that does not load, its problems positioned
     *     in the file (a problem of the file itself, or one an override caused)
     * @throws IllegalArgumentException when no mode exists in any release given, or a scenario
     *     turns be_liberal on by itself where the grid asks for it off (one line)
     */
    public static Matrix load(List<Path> files, Axes axes) throws ScenarioException {
        List<Cell> cells = new ArrayList<>();
        Map<RunKey, Scenario> runs = new LinkedHashMap<>();
        List<RunKey> keys = new ArrayList<>();
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            for (KernelProfile kernel : axes.kernels()) {
                for (String mode : axes.modes()) {
                    for (KubeProxyRelease release : axes.releases()) {
                        if (!exists(mode, release)) {
                            continue;
                        }
                        for (boolean liberal : axes.beLiberal()) {
                            Scenario s = ScenarioLoader.load(file, overrides(kernel, mode, release, liberal));
                            ScenarioSpec spec = s.spec();
                            Sysctls sysctls = spec.conntrackSysctls();
                            if (sysctls.tcpBeLiberal() != liberal) {
                                throw new IllegalArgumentException(s.source()
                                        + ": spec.kubeProxy.conntrack.tcpBeLiberal turns be_liberal on, so the"
                                        + " matrix cannot run it with be_liberal off (use --be-liberal on)");
                            }
                            RunKey key = new RunKey(
                                    f,
                                    kernel,
                                    sysctls,
                                    spec.kubeProxy().nftables(),
                                    spec.nodes().stream()
                                            .map(NodeSpec::dropInvalid)
                                            .toList());
                            runs.putIfAbsent(key, s);
                            keys.add(key);
                            cells.add(new Cell(s.metadata().name(), kernel, mode, release, liberal, s));
                        }
                    }
                }
            }
        }
        if (cells.isEmpty()) {
            throw new IllegalArgumentException(
                    "no combination to run: nftables mode exists only in kube-proxy 1.29 … 1.34");
        }
        return new Matrix(cells, runs, keys);
    }

    /** The overrides that make the scenario one combination. */
    static List<String> overrides(KernelProfile kernel, String mode, KubeProxyRelease release, boolean liberal) {
        return List.of(
                "spec.kernel=" + kernel.label(),
                "spec.kubeProxy.mode=" + mode,
                "spec.kubeProxy.version=" + release.label(),
                "spec.kubeProxy.dropInvalid=false",
                "spec.sysctls.net.netfilter.nf_conntrack_tcp_be_liberal=" + (liberal ? 1 : 0));
    }

    /** The number of rows. */
    public int rows() {
        return cells.size();
    }

    /** The simulated time of all distinct runs together (what a progress meter counts to). */
    public long simulatedNanos() {
        long total = 0;
        for (Scenario s : runs.values()) {
            total += s.spec().durationNanos();
        }
        return total;
    }

    /** The number of distinct runs behind the rows. */
    public int distinctRuns() {
        return runs.size();
    }

    /**
     * Runs every distinct combination on {@code threads} threads and returns the rows in grid order.
     *
     * @param progress a meter following the simulated time of all runs together, or {@code null}
     * @throws io.kpsim.cluster.ClusterSpecException when the model refuses a combination
     */
    public List<MatrixRow> run(int threads, ProgressMeter progress) {
        SimulatedTime done = new SimulatedTime(progress);
        Map<RunKey, RunMetrics> metrics = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "kpsim-matrix");
            t.setDaemon(true); // an interrupt that ends the process is not held up by a run
            return t;
        });
        try {
            Map<RunKey, Future<RunMetrics>> futures = new LinkedHashMap<>();
            for (Map.Entry<RunKey, Scenario> e : runs.entrySet()) {
                Scenario s = e.getValue();
                futures.put(e.getKey(), pool.submit(() -> {
                    RunMetrics m = ScenarioRun.run(s, new ScenarioRun.Options(false, null, false, null))
                            .metrics();
                    done.add(s.spec().durationNanos());
                    return m;
                }));
            }
            for (Map.Entry<RunKey, Future<RunMetrics>> e : futures.entrySet()) {
                metrics.put(e.getKey(), await(e.getValue()));
            }
        } finally {
            pool.shutdownNow();
            if (progress != null) {
                progress.done();
            }
        }
        List<MatrixRow> rows = new ArrayList<>(cells.size());
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            RunMetrics m = Objects.requireNonNull(metrics.get(keys.get(i)));
            rows.add(new MatrixRow(
                    c.scenario(),
                    c.kernel(),
                    c.mode(),
                    c.release(),
                    c.beLiberal(),
                    m,
                    MatrixVerdict.of(m, c.beLiberal())));
        }
        return rows;
    }

    private static RunMetrics await(Future<RunMetrics> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the matrix was interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** The simulated time the finished runs covered, shown on the meter as runs finish. */
    private static final class SimulatedTime {
        private final ProgressMeter meter;
        private long nanos;

        SimulatedTime(ProgressMeter meter) {
            this.meter = meter;
        }

        synchronized void add(long runNanos) {
            nanos += runNanos;
            if (meter != null) {
                meter.at(nanos);
            }
        }
    }
}
