package io.kpsim.cli;

import io.kpsim.fault.UserFault;
import io.kpsim.scenario.ScenarioException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr and an exit code.
 *
 * <ul>
 *   <li>A {@link UserFault} (bad input, usage, or an environment that refused) is the user's to
 *       fix: its message, exit {@link ExitCode#BAD_INPUT}. So is an {@link IOException} that
 *       reaches here (a file kpsim was told to use).</li>
 *   <li>A broken pipe on standard output ends the command quietly, {@link ExitCode#BROKEN_PIPE}.</li>
 *   <li>Anything else, from any package and of any type ({@code IllegalArgumentException} and
 *       {@code Error}s included), is a kpsim bug, and the line says so: what failed, the kpsim
 *       version and the command line and inputs that reproduce it. Exit {@link ExitCode#INTERNAL}.
 *       Running out of memory is said in its own words, with the heap's limit and how to raise it.</li>
 * </ul>
 * The stack trace follows only when {@code KPSIM_DEBUG} is set.
 */
final class ErrorHandlers {

    /** Arguments printed without quotes in a reproduction command line. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,@%+-]+");

    private ErrorHandlers() {}

    /** Option parsing errors: the message and a pointer to {@code --help}. */
    static final class Parameters implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr()
                    .println("kpsim: " + ex.getMessage() + " (see '"
                            + cmd.getCommandSpec().qualifiedName() + " --help')");
            return ExitCode.BAD_INPUT;
        }
    }

    /** Failures while a command runs. */
    static final class Execution implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
            return report(ex, cmd, parseResult == null ? List.of() : parseResult.originalArgs());
        }
    }

    /**
     * Prints the line for {@code failure} of the command {@code cmd} (the subcommand that ran, or
     * the top-level command) and returns the exit code.
     *
     * @param args the command line as the user typed it, for a bug report
     */
    static int report(Throwable failure, CommandLine cmd, List<String> args) {
        PrintWriter err = cmd.getErr();
        if (failure instanceof OutputFailure o && o.brokenPipe()) {
            return ExitCode.BROKEN_PIPE;
        }
        if (!(failure instanceof OutputFailure)) {
            flushQuietly(cmd.getOut()); // what the command printed comes before the error
        }
        int code;
        if (failure instanceof ScenarioException e) {
            RunCommand.printProblems(err, e);
            code = ExitCode.BAD_INPUT;
        } else if (failure instanceof UserFault e) {
            err.println("kpsim: " + e.getMessage());
            code = ExitCode.BAD_INPUT;
        } else if (failure instanceof UncheckedIOException u) {
            err.println("kpsim: " + describe(u.getCause()));
            code = ExitCode.BAD_INPUT;
        } else if (failure instanceof IOException io) {
            err.println("kpsim: " + describe(io));
            code = ExitCode.BAD_INPUT;
        } else if (failure instanceof OutOfMemoryError) {
            err.println("kpsim: out of memory: the Java heap's limit is "
                    + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB" + inputs(cmd) + "; give it more with KPSIM_JAVA_OPTS=-Xmx8g (read by the ./kpsim"
                    + " launcher), or make the scenario smaller");
            code = ExitCode.INTERNAL;
        } else {
            err.println(internal(failure, cmd, args));
            code = ExitCode.INTERNAL;
        }
        if (System.getenv("KPSIM_DEBUG") != null) {
            failure.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** The one line of an internal error: that it is a bug, what failed, and how to reproduce it. */
    static String internal(Throwable failure, CommandLine cmd, List<String> args) {
        StringBuilder line = new StringBuilder("kpsim: internal error (a kpsim bug, not a problem with your input): ");
        line.append(what(failure));
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != failure) {
            line.append(", caused by ").append(what(root));
        }
        line.append(". Please report it with what reproduces it: kpsim ")
                .append(VersionProvider.version())
                .append(", command line: kpsim");
        for (String a : args) {
            line.append(' ').append(quote(a));
        }
        line.append(inputs(cmd));
        line.append(". KPSIM_DEBUG=1 shows the stack trace.");
        return line.toString();
    }

    /** {@code ; scenario X, seed N} from a {@link Reproducible} command, or nothing. */
    private static String inputs(CommandLine cmd) {
        if (cmd.getCommand() instanceof Reproducible r) {
            String inputs = r.reproduction();
            if (inputs != null && !inputs.isEmpty()) {
                return "; " + inputs;
            }
        }
        return "";
    }

    private static String what(Throwable t) {
        String m = t.getMessage();
        String type = t.getClass().getSimpleName();
        return m == null || m.isBlank() ? type : type + ": " + m.replace('\n', ' ');
    }

    /** An argument as a POSIX shell would take it back. */
    static String quote(String arg) {
        if (!arg.isEmpty() && PLAIN.matcher(arg).matches()) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    private static void flushQuietly(PrintWriter out) {
        try {
            out.flush();
        } catch (RuntimeException e) {
            // standard output failing is not what this line is about
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof NoSuchFileException) {
            return m + ": no such file";
        }
        if (e instanceof AccessDeniedException) {
            return m + ": permission denied";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
