package io.kpsim.cli;

import java.io.OutputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code kpsim} command: a list of subcommands ({@link Subcommands} registers them). */
@Command(
        name = "kpsim",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Packet-path simulator for the Kubernetes conntrack \"intermittent connection reset\".", ""})
final class KpsimCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final OutputStream rawOut;
    private final Interrupts interrupts;

    KpsimCommand(OutputStream rawOut, Interrupts interrupts) {
        this.rawOut = rawOut;
        this.interrupts = interrupts;
    }

    /** Where a subcommand says what it is doing, for the line a Ctrl-C or SIGTERM prints. */
    Interrupts interrupts() {
        return interrupts;
    }

    /**
     * The byte stream under picocli's output writer, or {@code null} when there is none (tests):
     * a subcommand that writes it must flush the writer first and its own bytes after.
     */
    OutputStream rawOut() {
        return rawOut;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCode.BAD_INPUT;
    }
}
