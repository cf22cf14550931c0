package io.kpsim.cli;

/**
 * kpsim's exit codes, the same for every subcommand (DESIGN.md "Interfaces users touch", README
 * "Exit codes").
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

    private ExitCode() {}
}
