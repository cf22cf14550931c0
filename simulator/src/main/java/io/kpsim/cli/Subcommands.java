package io.kpsim.cli;

import java.util.List;
import picocli.CommandLine;

/**
 * The subcommands of {@code kpsim}, registered with the command tree as a run needs them. picocli
 * builds a command's model by reflecting over every option of it and of all its subcommands, and
 * in a short run that work is a large part of the start-up (see {@code src/docs/benchmarks.md},
 * "Start-up"). A command line that names a subcommand first ({@code kpsim run ...}) gets only that
 * one, and {@code kpsim --version} none; anything else ({@code --help}, no arguments, a mistyped
 * name that picocli answers with suggestions) gets them all, in the order the help lists them.
 * {@code run} is declared through picocli's programmatic API ({@link RunModel}), the others by
 * annotations.
 */
final class Subcommands {

    /** Every subcommand's name, in the order {@code kpsim --help} lists them. */
    static final List<String> NAMES =
            List.of("run", "validate", "rules", "trace", "replay", "diagnose", "matrix", "oracle", "kernels");

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
        KpsimCommand root = cli.getCommand();
        if (first != null && NAMES.contains(first)) {
            cli.addSubcommand(first, command(first, root));
            return;
        }
        for (String name : NAMES) {
            cli.addSubcommand(name, command(name, root));
        }
    }

    /**
     * What picocli builds the subcommand {@code name} from: {@code run}'s model, or the annotated
     * class of another command.
     *
     * @throws IllegalArgumentException when {@code name} is not one of {@link #NAMES}
     */
    static Object command(String name, KpsimCommand root) {
        return switch (name) {
            case "run" -> RunModel.create(root);
            case "validate" -> ValidateCommand.class;
            case "rules" -> RulesCommand.class;
            case "trace" -> TraceCommand.class;
            case "replay" -> ReplayCommand.class;
            case "diagnose" -> DiagnoseCommand.class;
            case "matrix" -> MatrixCommand.class;
            case "oracle" -> OracleCommand.class;
            case "kernels" -> KernelsCommand.class;
            default -> throw new IllegalArgumentException("kpsim has no subcommand " + name);
        };
    }
}
