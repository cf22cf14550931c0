package io.kpsim.cli;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Entry point of {@code kpsim.jar}. Builds the picocli command tree and exits with its code.
 */
public final class Main {

    private Main() {}

    /**
     * picocli's converters for {@code java.sql} and {@code java.time} types, which no kpsim option
     * has ({@code CommandModelTest}): registering them initialises those packages, about 13 ms of
     * every start (src/docs/benchmarks.md, "Start-up", session 7). One regular expression, not a
     * comma-separated list of two: picocli compiles each listed expression again for every built-in
     * converter it considers (19 per command line, {@code BuiltIn.excluded}), so two cost twice the
     * compilations (session 9).
     */
    static final String CONVERTERS_EXCLUDED = "java\\.(sql|time)\\..*";

    /**
     * picocli's switch for Groovy closures in annotations, which kpsim has none of. Unless it is
     * {@code true}, picocli's {@code DefaultFactory} looks up {@code groovy.lang.Closure} when it is
     * first used, and that miss makes the class loader open kpsim.jar and read its central directory
     * (about 2,450 entries): the only reason a run that the class-data archive serves opened the jar,
     * with the switch catalogue's resource (src/docs/benchmarks.md, "Start-up", session 11).
     */
    static final String CLOSURES_DISABLED = "picocli.disable.closures";

    /** Runs kpsim with the given arguments and exits the JVM with the command's exit code. */
    public static void main(String... args) {
        if (System.getProperty("picocli.converters.excludes") == null) {
            System.setProperty("picocli.converters.excludes", CONVERTERS_EXCLUDED);
        }
        if (System.getProperty(CLOSURES_DISABLED) == null) {
            System.setProperty(CLOSURES_DISABLED, "true");
        }
        StandardOutput stdout = new StandardOutput();
        String encoding = System.getProperty("sun.stdout.encoding");
        Charset charset = encoding != null && Charset.isSupported(encoding)
                ? Charset.forName(encoding)
                : Charset.defaultCharset();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, charset));
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(execute(out, err, stdout, Interrupts.forProcess(out, err), args));
    }

    /**
     * Runs kpsim without exiting, writing to the given streams: the form tests use.
     *
     * @return the exit code (0 success, 1 expectations failed or differences, 2 bad input, 3 internal error)
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
        return execute(out, err, rawOut, Interrupts.none(), args);
    }

    private static int execute(
            PrintWriter out, PrintWriter err, OutputStream rawOut, Interrupts interrupts, String... args) {
        CommandLine cli = new CommandLine(KpsimCommand.create(rawOut, interrupts));
        Subcommands.register(cli, args); // before the settings below, which apply to the subcommands added so far
        cli.setParameterExceptionHandler(new ErrorHandlers.Parameters());
        cli.setExecutionExceptionHandler(new ErrorHandlers.Execution());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOut(out);
        cli.setErr(err);
        int code;
        try {
            // Until a command says more (run and replay do), a signal still gets a line.
            String command = "kpsim" + (args.length == 0 ? "" : " " + args[0]);
            interrupts.during(
                    new Supplier<String>() { // not a lambda: linked at every start (Interrupts.Hook)
                        @Override
                        public String get() {
                            return command + " stopped before it finished";
                        }
                    });
            code = cli.execute(args);
            out.flush(); // a write error of the last buffered output is still the command's failure
            if (code != ExitCode.BROKEN_PIPE && out.checkError()) {
                // a PrintWriter that is not ours swallowed an IOException
                err.println("kpsim: cannot write standard output (the output is incomplete)");
                code = Math.max(code, ExitCode.BAD_INPUT);
            }
        } catch (Throwable t) { // picocli passes Errors (StackOverflowError, ...) and late write errors through
            code = ErrorHandlers.report(t, executed(cli), List.of(args));
        } finally {
            interrupts.end();
        }
        err.flush();
        return code;
    }

    /** The subcommand that ran (its user object may know the inputs), or the top-level command. */
    private static CommandLine executed(CommandLine cli) {
        ParseResult result = cli.getParseResult();
        CommandLine cmd = cli;
        while (result != null && result.hasSubcommand()) {
            result = result.subcommand();
            cmd = result.commandSpec().commandLine();
        }
        return cmd;
    }
}
