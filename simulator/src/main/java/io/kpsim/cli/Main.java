package io.kpsim.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Entry point of {@code kpsim.jar}. Builds the picocli command tree and exits with its code.
 */
public final class Main {

    private Main() {}

    /** Runs kpsim with the given arguments and exits the JVM with the command's exit code. */
    public static void main(String... args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.out, args));
    }

    /**
     * Runs kpsim without exiting, writing to the given streams: the form tests use.
     *
     * @return the exit code (0 success, 1 expectations failed or differences, 2 bad input)
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return execute(out, err, null, args);
    }

    /**
     * As {@link #execute(PrintWriter, PrintWriter, String...)}, with the byte stream under
     * {@code out} for commands that write large outputs as bytes ({@code replay --format jsonl}).
     *
     * @param rawOut the stream {@code out} writes to, or {@code null} to write everything through {@code out}
     */
    public static int execute(PrintWriter out, PrintWriter err, OutputStream rawOut, String... args) {
        CommandLine cli = commandLine(rawOut, args);
        cli.setOut(out);
        cli.setErr(err);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The configured command tree. */
    static CommandLine commandLine() {
        return commandLine(null);
    }

    private static CommandLine commandLine(OutputStream rawOut, String... args) {
        CommandLine cli = new CommandLine(new KpsimCommand(rawOut));
        Subcommands.register(cli, args); // before the settings below, which apply to the subcommands added so far
        cli.setParameterExceptionHandler(new ErrorHandlers.Parameters());
        cli.setExecutionExceptionHandler(new ErrorHandlers.Execution());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }
}
