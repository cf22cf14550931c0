package io.kpsim.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The subcommands of {@code kpsim}, registered with the command tree as a run needs them. picocli
 * builds a command's model by reflecting over every option of it and of all its subcommands, and
 * in a short run that work is a large part of the start-up (see {@code src/docs/benchmarks.md},
 * "Start-up"). A command line that names a subcommand first ({@code kpsim run ...}) gets only that
 * one, and {@code kpsim --version} none; anything else ({@code --help}, no arguments, a mistyped
 * name that picocli answers with suggestions) gets them all, in the order the help lists them.
 */
final class Subcommands {

    /** Every subcommand, in the order {@code kpsim --help} lists them. */
    static final List<Class<?>> ALL = List.of(
            RunCommand.class,
            ValidateCommand.class,
            RulesCommand.class,
            TraceCommand.class,
            ReplayCommand.class,
            DiagnoseCommand.class,
            MatrixCommand.class,
            OracleCommand.class,
            KernelsCommand.class);

    private Subcommands() {}

    /**
     * Adds the subcommands {@code args} can reach to {@code cli}: none for {@code --version} alone,
     * the one named by the first argument, or all of them when the first argument names none.
     */
    static void register(CommandLine cli, String... args) {
        String first = args.length > 0 ? args[0] : null;
        if (args.length == 1 && ("--version".equals(first) || "-V".equals(first))) {
            return;
        }
        for (Class<?> c : ALL) {
            if (name(c).equals(first)) {
                cli.addSubcommand(c);
                return;
            }
        }
        for (Class<?> c : ALL) {
            cli.addSubcommand(c);
        }
    }

    /** The name a subcommand class declares in its {@code @Command} annotation. */
    static String name(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }
}
