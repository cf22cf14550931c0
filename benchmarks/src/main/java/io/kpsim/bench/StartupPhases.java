package io.kpsim.bench;

import io.kpsim.cli.Main;
import io.kpsim.cluster.Cluster;
import io.kpsim.pcap.LinkType;
import io.kpsim.pcap.PcapWriter;
import io.kpsim.report.RunMetrics;
import io.kpsim.scenario.Scenario;
import io.kpsim.scenario.ScenarioBuilder;
import io.kpsim.scenario.ScenarioException;
import io.kpsim.scenario.ScenarioLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The start-up of {@code kpsim run} cut into its phases, each measured the first time it runs in a
 * fresh JVM: wall time, CPU time of the main thread, and CPU time of the whole process (the main
 * thread plus the JIT compilers, the garbage collector and the JVM's other threads). The main
 * thread's CPU time is its CPU clock ({@code ThreadMXBean}, set up before the first phase); the
 * process's is the sum of every thread's scheduler time ({@code /proc/self/task/}{@code
 * TID/schedstat}, nanoseconds; a thread that ends keeps its last reading, one that starts and ends
 * within a phase is missed). CPU times stay meaningful on a loaded machine, where wall time mostly
 * measures the wait for a core.
 *
 * <p>Not a JMH benchmark: a phase's cost is its first run, so each repetition must be a new
 * process. {@code benchmarks/startup.py --phases} starts it as {@code java -cp
 * kpsim.jar:kpsim-benchmarks.jar io.kpsim.bench.StartupPhases SCENARIO}, with and without the
 * launcher's class-data archive, and adds the two phases only the parent sees: from the
 * process's start to {@code main} (the {@code main} line's {@code System.nanoTime()}, the same
 * {@code CLOCK_MONOTONIC} as the parent's clock), and from the {@code end} line to the process's
 * exit. Each phase uses only public API, in the order {@code kpsim run --quiet} meets them:
 *
 * <ol>
 *   <li>{@code picocli}: the command tree and an argument list ({@code kpsim run --version});
 *   <li>{@code yaml}: loading and checking the scenario ({@link ScenarioLoader#load});
 *   <li>{@code cluster}: building nodes, rules, conntrack tables, pods, links and workloads
 *       ({@link ScenarioBuilder#build});
 *   <li>{@code simulate}: running the simulated duration and counting ({@link Cluster#run});
 *   <li>{@code run-quiet-again}: the whole {@code kpsim run --quiet} once more in the same JVM,
 *       with everything loaded: what is left once start-up is paid;
 *   <li>{@code run-text} and {@code run-json}: the narrated outputs, whose classes the quiet run
 *       never loads;
 *   <li>{@code pcap}: pcap4j, JNA and libpcap, first used by {@code --pcap} and {@code replay}.
 * </ol>
 */
public final class StartupPhases {

    private final PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream());
    private final PrintWriter err = new PrintWriter(System.err, true);
    private final StringBuilder report = new StringBuilder();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    /** Each thread's CPU time at its last reading, kept after the thread ends. */
    private final Map<String, Long> taskCpu = new HashMap<>();

    private long wall;
    private long mainCpu;
    private long processCpu;

    private StartupPhases() {
        mark();
    }

    /** Entry point: {@code SCENARIO.yaml}. Prints one line per phase, then the JVM's own totals. */
    public static void main(String[] args) throws IOException, ScenarioException {
        long entered = System.nanoTime();
        if (args.length != 1) {
            System.err.println("usage: StartupPhases SCENARIO.yaml");
            System.exit(2);
        }
        StartupPhases phases = new StartupPhases();
        phases.report.append("main ").append(entered).append('\n');
        Path file = Path.of(args[0]);

        phases.expect(0, Main.execute(phases.discard, phases.err, "run", "--version"));
        phases.phase("picocli");
        Scenario scenario = ScenarioLoader.load(file, List.of());
        phases.phase("yaml");
        Cluster cluster = ScenarioBuilder.build(scenario.spec());
        phases.phase("cluster");
        RunMetrics metrics = RunMetrics.of(cluster.run(scenario.spec().durationNanos()));
        if (metrics.packets() == 0) {
            throw new IllegalStateException(file + ": the scenario sent no packets");
        }
        phases.phase("simulate");
        phases.expect(0, Main.execute(phases.discard, phases.err, "run", file.toString(), "--quiet"));
        phases.phase("run-quiet-again");
        phases.expect(0, Main.execute(phases.discard, phases.err, "run", file.toString()));
        phases.phase("run-text");
        phases.expect(0, Main.execute(phases.discard, phases.err, "run", file.toString(), "--format", "json"));
        phases.phase("run-json");
        Path capture = Files.createTempFile("kpsim-startup-", ".pcap");
        try {
            PcapWriter.create(capture, LinkType.ETHERNET).close();
        } finally {
            Files.delete(capture);
        }
        phases.phase("pcap");

        long compiled = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        long collections = 0;
        long collecting = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            collections += Math.max(0, gc.getCollectionCount());
            collecting += Math.max(0, gc.getCollectionTime());
        }
        long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        phases.report
                .append("jit-ms ")
                .append(compiled)
                .append("\ngc ")
                .append(collections)
                .append(' ')
                .append(collecting)
                .append("\nclasses ")
                .append(classes)
                .append('\n');
        phases.phase("management");
        System.out.print(phases.report);
        System.out.println("end " + System.nanoTime());
        System.out.flush();
    }

    /** Records the phase that ends now: {@code phase NAME WALL_NS MAIN_CPU_NS PROCESS_CPU_NS}. */
    private void phase(String name) {
        long w = wall;
        long m = mainCpu;
        long p = processCpu;
        mark();
        report.append("phase ")
                .append(name)
                .append(' ')
                .append(wall - w)
                .append(' ')
                .append(mainCpu - m)
                .append(' ')
                .append(processCpu - p)
                .append('\n');
    }

    private void mark() {
        mainCpu = threads.getCurrentThreadCpuTime();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("schedstat"));
                    taskCpu.put(task.getFileName().toString(), Long.parseLong(stat.substring(0, stat.indexOf(' '))));
                } catch (NoSuchFileException e) {
                    // The thread ended since the listing: its last reading stays in the map.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/task (Linux only)", e);
        }
        long total = 0;
        for (long v : taskCpu.values()) {
            total += v;
        }
        processCpu = total;
        wall = System.nanoTime();
    }

    private void expect(int expected, int exitCode) {
        if (exitCode != expected) {
            throw new IllegalStateException("a phase's command exited " + exitCode + ", not " + expected);
        }
    }
}
