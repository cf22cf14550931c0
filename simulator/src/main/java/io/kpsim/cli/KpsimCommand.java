package io.kpsim.cli;

import java.io.OutputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The top-level {@code kpsim} command: a list of subcommands ({@link Subcommands} registers them).
 * Declared through picocli's programmatic API ({@link #create}, {@link CommandModel}) for a fast start.
 */
final class KpsimCommand implements Callable<Integer> {

    private CommandSpec spec;

    private final OutputStream rawOut;
    private final Interrupts interrupts;

    private KpsimCommand(OutputStream rawOut, Interrupts interrupts) {
        this.rawOut = rawOut;
        this.interrupts = interrupts;
    }

    /** A new top-level command and its model, without subcommands. */
    static CommandSpec create(OutputStream rawOut, Interrupts interrupts) {
        KpsimCommand kpsim = new KpsimCommand(rawOut, interrupts);
        kpsim.spec = CommandModel.command(
                kpsim,
                "kpsim",
                new String[] {
                    "Packet-path simulator for the Kubernetes conntrack \"intermittent connection reset\".", ""
                },
                ExitCode.OK + ":success",
                ExitCode.FAILED + ":a scenario's expectation failed, or the oracle found differences",
                ExitCode.HELP_BAD_INPUT,
                ExitCode.HELP_INTERNAL,
                ExitCode.HELP_SIGINT,
                ExitCode.HELP_BROKEN_PIPE,
                ExitCode.HELP_SIGTERM);
        kpsim.spec.versionProvider(new VersionProvider());
        return kpsim.spec;
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
