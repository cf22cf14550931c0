package io.kpsim.cli;

import io.kpsim.cluster.ClusterSpecException;
import io.kpsim.cluster.RunEstimate;
import io.kpsim.cluster.TraceListener;
import io.kpsim.pcap.CaptureException;
import io.kpsim.report.JsonReport;
import io.kpsim.report.PcapRecorder;
import io.kpsim.report.ProgressMeter;
import io.kpsim.report.RunObserver;
import io.kpsim.report.RunReport;
import io.kpsim.report.TextReport;
import io.kpsim.report.html.LadderRecorder;
import io.kpsim.report.html.OutcomeJson;
import io.kpsim.report.html.OutcomeRecorder;
import io.kpsim.report.html.OutcomeText;
import io.kpsim.report.html.Outcomes;
import io.kpsim.scenario.Problem;
import io.kpsim.scenario.Scenario;
import io.kpsim.scenario.ScenarioException;
import io.kpsim.scenario.ScenarioLoader;
import io.kpsim.scenario.ScenarioRun;
import io.kpsim.scenario.ScenarioSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kpsim run [SCENARIO.yaml]}: runs a scenario and tells what happened: the first reset as
 * the blog's five packets, the outcome counters, the verdict and the expectations. Without a
 * file it runs {@code scenarios/blog-reset.yaml} from {@code $KPSIM_HOME} (set by the
 * {@code ./kpsim} launcher) or the current directory. Exit 0 when every expectation held, 1 when
 * one failed, 2 on bad input (every scenario problem on its own {@code file:line:column} line) or
 * when the output or the captures cannot be written, 3 on an internal error.
 */
final class RunCommand implements Callable<Integer>, Reproducible {

    /** The scenario shipped as the default, relative to the repository root. */
    static final String DEFAULT_SCENARIO = "scenarios/blog-reset.yaml";

    /** Output formats. */
    enum Format {
        text,
        json
    }

    // The options below are declared in RunModel (picocli's programmatic API, for a fast start).

    CommandSpec spec;

    KpsimCommand root;

    /** SCENARIO.yaml, or {@code null} for the default. */
    Path file;

    /** The scenario as named in messages, once known (read by an interrupt's thread). */
    private volatile String source;
    /** The seed the run uses, once the scenario is loaded. */
    private volatile Long seed;
    /** Whether the run is over and the report is being printed. */
    private volatile boolean reporting;

    final ScenarioOptions scenarioOptions = new ScenarioOptions();

    /** {@code --format}. */
    Format format;

    /** {@code --pcap DIR}. */
    Path pcapDir;

    /** {@code --force}. */
    boolean force;

    /** {@code --snaplen N}. */
    int snapLength;

    final PictureOutput pictures = new PictureOutput();

    /** {@code --absolute-seq}. */
    boolean absoluteSeq;

    /** {@code --all}. */
    boolean all;

    /** {@code -q}, {@code --quiet}. */
    boolean quiet;

    /** {@code --ignore-memory-estimate}. */
    boolean ignoreMemoryEstimate;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (pcapDir != null && pcapDir.toString().isEmpty()) {
            throw new UserError("--pcap: the directory name is empty (name a directory, e.g. --pcap /tmp/captures)");
        }
        Path path = file != null ? file : defaultScenario();
        source = path.toString();
        Scenario scenario;
        try {
            scenario = ScenarioLoader.load(path, scenarioOptions.overrides());
        } catch (ScenarioException e) {
            printProblems(err, e);
            return ExitCode.BAD_INPUT;
        }
        source = scenario.source();
        seed = scenario.spec().seed();
        KernelNote.print(scenarioOptions.kernel, err);
        KernelNote.print(scenario, scenarioOptions.kernel != null, err);
        try {
            PcapRecorder.checkSnapLength(snapLength);
        } catch (IllegalArgumentException e) {
            throw new UserError("--snaplen: " + e.getMessage());
        }
        if (pcapDir != null) {
            try {
                PcapRecorder.check(pcapDir, captureNames(scenario.spec()), force);
            } catch (CaptureException e) {
                throw new UserError("--pcap: " + e.getMessage(), e);
            }
        }
        pictures.check();
        boolean narrate = format == Format.json || !quiet || pictures.wanted();
        RunEstimate estimate = null;
        if (!ignoreMemoryEstimate) {
            try {
                estimate = ScenarioRun.estimate(scenario, narrate);
            } catch (ClusterSpecException e) {
                printModelProblems(err, scenario.source(), e);
                return ExitCode.BAD_INPUT;
            }
            MemoryEstimate.check(scenario, estimate, Runtime.getRuntime().maxMemory());
        }
        CompilerTiers.choose(estimate);
        ProgressMeter progress =
                quiet ? null : ProgressMeter.onTerminal(scenario.spec().durationNanos());
        ScenarioRun.Options options = new ScenarioRun.Options(narrate, pcapDir, force, progress, snapLength);
        Interrupts interrupts = root != null ? root.interrupts() : Interrupts.none();
        RunObserver observer = narrate ? new RunObserver(absoluteSeq, all) : null;
        LadderRecorder recorder = pictures.recorder(observer);
        OutcomeRecorder outcomes = observer == null || quiet && format == Format.text
                ? null
                : recorder != null ? recorder.outcomes() : new OutcomeRecorder();
        List<TraceListener> listeners = new ArrayList<>(2);
        if (recorder != null) {
            listeners.add(recorder);
        } else if (outcomes != null) {
            listeners.add(outcomes);
        }
        PcapRecorder pcap = null;
        try {
            RunReport report;
            try {
                pcap = pcapDir == null ? null : ScenarioRun.openCaptures(scenario.spec(), options);
                PcapRecorder captures = pcap;
                interrupts.during(
                        new Supplier<String>() { // not a lambda: linked at every start (Interrupts.Hook)
                            @Override
                            public String get() {
                                return interrupted(captures, progress);
                            }
                        });
                report = ScenarioRun.run(scenario, options, pcap, observer, listeners);
                if (pcap != null) {
                    pcap.commit();
                }
            } catch (ClusterSpecException e) {
                printModelProblems(err, scenario.source(), e);
                return ExitCode.BAD_INPUT;
            } catch (CaptureException e) {
                throw new UserError("--pcap: " + e.getMessage(), e);
            }
            List<Path> pictureFiles =
                    recorder == null ? List.of() : pictures.write(path, scenarioOptions.overrides(), report, recorder);
            reporting = true;
            print(out, scenario, report, pictureFiles, outcomes == null ? null : outcomes.outcomes());
            return report.passed() ? ExitCode.OK : ExitCode.FAILED;
        } finally {
            if (pcap != null) {
                pcap.close(); // without a commit: removes the unfinished captures
            }
            interrupts.end();
        }
    }

    private void print(
            PrintWriter out, Scenario scenario, RunReport report, List<Path> pictureFiles, Outcomes outcomes) {
        if (format == Format.json) {
            out.println(JsonReport.render(report, outcomes == null ? "" : OutcomeJson.members(outcomes)));
        } else if (quiet) {
            // The counters, which cost no narration, on one line; then each failed expectation.
            out.println(scenario.source() + ": " + TextReport.outcome(report.metrics()));
            for (var x : report.expectations()) {
                if (!x.pass()) {
                    out.println(scenario.source() + ": FAIL " + x.text() + " (actual " + x.actual() + ")");
                }
            }
        } else {
            out.print(TextReport.render(report, outcomes == null ? "" : OutcomeText.render(outcomes)));
            if (pcapDir != null) {
                out.println("\ncaptures in " + pcapDir + ": " + String.join(", ", captureNames(scenario.spec())));
            }
            if (!pictureFiles.isEmpty()) {
                out.println("\npictures: "
                        + String.join(
                                ", ", pictureFiles.stream().map(Path::toString).toList()));
            }
        }
        out.flush(); // a write error ends the command here, before the exit code says success
    }

    /** What a Ctrl-C or SIGTERM stopped, and what became of the captures (on the interrupt's thread). */
    private String interrupted(PcapRecorder pcap, ProgressMeter progress) {
        if (progress != null) {
            progress.done(); // the line below starts at the left margin, not after the meter
        }
        String what = reporting
                ? "the report of " + source + " was being printed and is incomplete"
                : "the run of " + source + " (seed " + seed + ") stopped before its end; no report was printed";
        return pcap == null ? what : what + "; " + pcap.interrupt();
    }

    @Override
    public String reproduction() {
        if (source == null) {
            return null;
        }
        return "scenario " + source + (seed == null ? "" : ", seed " + seed);
    }

    /** The capture files a run of {@code spec} writes. */
    static List<String> captureNames(ScenarioSpec spec) {
        return ScenarioRun.captureNames(spec);
    }

    /**
     * {@code scenarios/blog-reset.yaml} under {@code $KPSIM_HOME} (or the system property
     * {@code kpsim.home}, for embedding and tests), else under the current directory.
     *
     * @throws UserError naming both places when neither has it
     */
    static Path defaultScenario() {
        String home = System.getProperty("kpsim.home", System.getenv("KPSIM_HOME"));
        List<Path> tried = new ArrayList<>();
        if (home != null && !home.isBlank()) {
            tried.add(Path.of(home).resolve(DEFAULT_SCENARIO));
        }
        tried.add(Path.of(DEFAULT_SCENARIO));
        Path cwd = Path.of("").toAbsolutePath();
        for (Path p : tried) {
            if (Files.isRegularFile(p)) {
                // Shown in the report's first line: relative when it is under the current directory.
                Path absolute = p.toAbsolutePath().normalize();
                return absolute.startsWith(cwd) ? cwd.relativize(absolute) : p;
            }
        }
        StringBuilder where = new StringBuilder();
        for (Path p : tried) {
            where.append(where.length() == 0 ? "" : " or ")
                    .append(p.toAbsolutePath().normalize());
        }
        throw new UserError("no scenario given and the default " + DEFAULT_SCENARIO + " is not at " + where
                + " (run from the kpsim directory, use the ./kpsim launcher, or name a SCENARIO.yaml)");
    }

    /** Every problem of a scenario on its own line, as compilers print them. */
    static void printProblems(PrintWriter err, ScenarioException e) {
        for (Problem p : e.getProblems()) {
            err.println(p);
        }
        err.flush();
    }

    /** A model refusal (one problem per line of the message), each line prefixed with the file. */
    static void printModelProblems(PrintWriter err, String source, ClusterSpecException e) {
        for (String line : String.valueOf(e.getMessage()).split("\n")) {
            err.println(source + ": " + line);
        }
        err.flush();
    }
}
