package io.kpsim.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr and an exit code: usage mistakes and bad input
 * exit 2; an internal error also exits 2 with one line, and prints its stack trace only when
 * {@code KPSIM_DEBUG} is set.
 */
final class ErrorHandlers {

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
            String line;
            if (ex instanceof UserError
                    || ex instanceof IllegalArgumentException
                    || ex instanceof io.kpsim.pcap.CaptureException) {
                line = ex.getMessage();
            } else if (ex instanceof UncheckedIOException u) {
                line = describe(u.getCause());
            } else if (ex instanceof IOException io) {
                line = describe(io);
            } else {
                line = "internal error: " + ex + " (set KPSIM_DEBUG=1 for the stack trace)";
            }
            cmd.getErr().println("kpsim: " + line);
            if (System.getenv("KPSIM_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            return ExitCode.BAD_INPUT;
        }

        private static String describe(IOException e) {
            String m = e.getMessage();
            if (e instanceof java.nio.file.NoSuchFileException) {
                return m + ": no such file";
            }
            if (e instanceof java.nio.file.AccessDeniedException) {
                return m + ": permission denied";
            }
            return m == null ? e.getClass().getSimpleName() : m;
        }
    }
}
