package io.kpsim.cli;

import io.kpsim.cluster.ClusterSpecException;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.report.ProgressMeter;
import io.kpsim.scenario.KubeProxyRelease;
import io.kpsim.scenario.Matrix;
import io.kpsim.scenario.MatrixRow;
import io.kpsim.scenario.MatrixTable;
import io.kpsim.scenario.ScenarioException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kpsim matrix [SCENARIO.yaml ...]}: "am I protected with mode X, version Y, kernel Z?" as a
 * table. Runs the scenarios (default: {@code scenarios/blog-reset.yaml}) over kernel × kube-proxy
 * mode × release × be_liberal ({@link Matrix}) and prints a row per combination with the counters
 * and the verdict ({@link MatrixTable}). Exit 0 when the table was printed (an exposed row is an
 * answer, not a failure), 2 on bad input, 3 on an internal error.
 */
@Command(
        name = "matrix",
        mixinStandardHelpOptions = true,
        description = {
            "Run a scenario over kernels x kube-proxy modes x releases x be_liberal and print a table:",
            "per combination the connections, completions, resets, INVALID packets and drops, and whether",
            "it is exposed or protected (by the INVALID drop rule, be_liberal, or a kernel that ignores it).",
            "Without SCENARIO.yaml, runs scenarios/blog-reset.yaml."
        },
        exitCodeListHeading = ExitCode.HEADING,
        exitCodeList = {
            ExitCode.OK + ":the table was printed",
            ExitCode.HELP_BAD_INPUT,
            ExitCode.HELP_INTERNAL,
            ExitCode.HELP_SIGINT,
            ExitCode.HELP_BROKEN_PIPE,
            ExitCode.HELP_SIGTERM
        })
final class MatrixCommand implements Callable<Integer> {

    /** Output formats. */
    enum Format {
        text,
        json,
        csv
    }

    /** {@code --be-liberal}'s values. */
    enum BeLiberal {
        on,
        off,
        both
    }

    @Spec
    CommandSpec spec;

    @Parameters(
            arity = "0..*",
            paramLabel = "SCENARIO.yaml",
            description = "The scenarios (default: " + RunCommand.DEFAULT_SCENARIO + ").")
    List<Path> files = new ArrayList<>();

    @Option(
            names = "--kernels",
            split = ",",
            paramLabel = "LIST",
            description = "Kernel profiles or uname -r strings (default: 4.19,5.15,6.1,6.18).")
    List<String> kernels;

    @Option(
            names = "--proxy-modes",
            split = ",",
            paramLabel = "LIST",
            description = "iptables and/or nftables (default: both; nftables only with 1.29+).")
    List<String> modes;

    @Option(
            names = "--kube-proxy-versions",
            split = ",",
            paramLabel = "LIST",
            description = "kube-proxy releases 1.14 ... 1.34 (default: 1.14,1.15,1.29,1.34).")
    List<String> versions;

    @Option(
            names = "--be-liberal",
            defaultValue = "both",
            paramLabel = "on|off|both",
            description = "nf_conntrack_tcp_be_liberal on the nodes (default: ${DEFAULT-VALUE}).")
    BeLiberal beLiberal;

    @Option(
            names = "--format",
            defaultValue = "text",
            paramLabel = "text|json|csv",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(
            names = "--jobs",
            paramLabel = "N",
            description = "Run N combinations at a time (default: the number of CPUs). The output does not depend"
                    + " on it.")
    Integer jobs;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Matrix.Axes axes = axes();
        if (jobs != null && (jobs < 1 || jobs > 1024)) {
            throw new UserError("--jobs " + jobs + ": expected 1..1024");
        }
        List<Path> scenarios = files.isEmpty() ? List.of(RunCommand.defaultScenario()) : files;
        Matrix matrix;
        try {
            matrix = Matrix.load(scenarios, axes);
        } catch (ScenarioException e) {
            RunCommand.printProblems(err, e);
            return ExitCode.BAD_INPUT;
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        int threads = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
        ProgressMeter progress = ProgressMeter.onTerminal(matrix.simulatedNanos());
        List<MatrixRow> rows;
        try {
            rows = matrix.run(threads, progress);
        } catch (ClusterSpecException e) {
            RunCommand.printModelProblems(
                    err,
                    String.join(", ", scenarios.stream().map(Path::toString).toList()),
                    e);
            return ExitCode.BAD_INPUT;
        }
        out.print(
                switch (format) {
                    case text -> MatrixTable.text(rows);
                    case json -> MatrixTable.json(rows);
                    case csv -> MatrixTable.csv(rows);
                });
        out.flush();
        return ExitCode.OK;
    }

    /** The grid the options ask for, the defaults where none is given. */
    Matrix.Axes axes() {
        Matrix.Axes d = Matrix.Axes.DEFAULT;
        List<KernelProfile> k = kernels == null ? d.kernels() : distinct(kernels, "--kernels", MatrixCommand::kernel);
        List<String> m = modes == null ? d.modes() : distinct(modes, "--proxy-modes", MatrixCommand::mode);
        List<KubeProxyRelease> v =
                versions == null ? d.releases() : distinct(versions, "--kube-proxy-versions", KubeProxyRelease::parse);
        List<Boolean> b = switch (beLiberal) {
            case on -> List.of(true);
            case off -> List.of(false);
            case both -> List.of(false, true);
        };
        return new Matrix.Axes(k, m, v, b);
    }

    private static KernelProfile kernel(String text) {
        return KernelProfile.parse(text);
    }

    private static String mode(String text) {
        if (!text.equals("iptables") && !text.equals("nftables")) {
            throw new IllegalArgumentException("'" + text + "': expected iptables or nftables");
        }
        return text;
    }

    /** Each item parsed, in the order given, repeats dropped; a bad or empty item is the option's error. */
    private static <T> List<T> distinct(List<String> items, String option, Function<String, T> parse) {
        LinkedHashSet<T> values = new LinkedHashSet<>();
        for (String item : items) {
            if (item.isBlank()) {
                throw new UserError(option + ": an empty item in the list (expected items separated by commas)");
            }
            try {
                values.add(parse.apply(item.strip()));
            } catch (IllegalArgumentException e) {
                throw new UserError(option + ": " + e.getMessage());
            }
        }
        return List.copyOf(values);
    }
}
