package io.kpsim.cli;

/**
 * kpsim's exit codes, the same for every subcommand (DESIGN.md "Interfaces users touch", README
 * "Exit codes", src/docs/errors.md's table), and the lines each command's {@code --help} lists them
 * with ({@code exitCodeList}), built from the codes so that help and code cannot drift apart.
 */
final class ExitCode {

    /** Everything worked and every expectation held. */
    static final int OK = 0;
    /** The scenario's expectations failed, or the oracle found differences. */
    static final int FAILED = 1;
    /**
     * Bad input or usage, or an environment that refused (a full disk, a read-only or locked
     * directory, no libpcap): a one-line message says what and where.
     */
    static final int BAD_INPUT = 2;
    /** An internal error: a kpsim bug, said as such, with what is needed to reproduce it. */
    static final int INTERNAL = 3;
    /**
     * Standard output was a pipe whose reader went away ({@code | head -1}): stopped quietly with
     * the status a Unix tool killed by {@code SIGPIPE} has (128 + 13). SIGINT and SIGTERM end the
     * JVM with 130 and 143 ({@link Interrupts}).
     */
    static final int BROKEN_PIPE = 141;
    /** Stopped by Ctrl-C: the JVM's exit status after SIGINT (128 + 2). */
    static final int SIGINT = 130;
    /** Stopped by SIGTERM: the JVM's exit status after it (128 + 15). */
    static final int SIGTERM = 143;

    /** The heading of every command's exit-code list in {@code --help}. */
    static final String HEADING = "%nExit codes:%n";

    static final String HELP_BAD_INPUT =
            BAD_INPUT + ":bad input or usage, or an environment that refused; one line says what and where";
    static final String HELP_INTERNAL = INTERNAL + ":internal error: a kpsim bug, said as such";
    static final String HELP_SIGINT = SIGINT + ":stopped by Ctrl-C (SIGINT); one line says what was kept";
    static final String HELP_BROKEN_PIPE = BROKEN_PIPE + ":standard output's reader went away (| head -1)";
    static final String HELP_SIGTERM = SIGTERM + ":stopped by SIGTERM";

    private ExitCode() {}
}
