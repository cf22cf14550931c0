package io.kpsim.cli;

import io.kpsim.cluster.ClusterSpecException;
import io.kpsim.cluster.RunEstimate;
import io.kpsim.scenario.Scenario;
import io.kpsim.scenario.ScenarioBuilder;
import io.kpsim.scenario.ScenarioException;
import io.kpsim.scenario.ScenarioLoader;
import io.kpsim.scenario.ScenarioRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kpsim validate FILE...}: checks scenarios without running them: the YAML, every key,
 * unit, range, name and reference ({@code ScenarioLoader}), and that the model can build the
 * cluster ({@code ScenarioBuilder}). Every problem of every file is printed, one per line with
 * {@code file:line:column}; exit 0 when all files are valid, 2 when one is not, 3 on an internal
 * error.
 */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Check scenario files without running them.",
            "Every problem is printed as file:line:column: message."
        },
        exitCodeListHeading = ExitCode.HEADING,
        exitCodeList = {
            ExitCode.OK + ":every file is valid",
            ExitCode.HELP_BAD_INPUT,
            ExitCode.HELP_INTERNAL,
            ExitCode.HELP_SIGINT,
            ExitCode.HELP_BROKEN_PIPE,
            ExitCode.HELP_SIGTERM
        })
final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Scenario files.")
    List<Path> files;

    @Option(
            names = "--set",
            paramLabel = "KEY.PATH=VALUE",
            description = "Check with this override applied (repeatable).")
    List<String> sets = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean allValid = true;
        for (Path file : files) {
            try {
                Scenario s = ScenarioLoader.load(file, sets);
                KernelNote.print(s, false, err);
                RunEstimate estimate = ScenarioRun.estimate(s, true);
                long heap = Runtime.getRuntime().maxMemory();
                String built = "";
                if (estimate.buildBytes() <= heap / 4 * 3) { // a quarter left for the collector to work in
                    ScenarioBuilder.build(s.spec());
                } else {
                    built = "; the model was not built to check it: that needs "
                            + RunEstimate.bytes(estimate.buildBytes()) + ", over three quarters of the Java heap of "
                            + RunEstimate.bytes(heap);
                }
                out.println(s.source() + ": ok (" + s.metadata().name() + "); "
                        + MemoryEstimate.describe(estimate, heap) + built);
            } catch (ScenarioException e) {
                RunCommand.printProblems(err, e);
                allValid = false;
            } catch (ClusterSpecException e) {
                RunCommand.printModelProblems(err, file.toString(), e);
                allValid = false;
            }
        }
        out.flush();
        return allValid ? ExitCode.OK : ExitCode.BAD_INPUT;
    }
}
