package io.kpsim.cli;

/** kpsim's exit codes, the same for every subcommand (DESIGN.md "Interfaces users touch"). */
final class ExitCode {

    /** Everything worked and every expectation held. */
    static final int OK = 0;
    /** The scenario's expectations failed, or the oracle found differences. */
    static final int FAILED = 1;
    /** Bad input or usage: a one-line message says what and where. */
    static final int BAD_INPUT = 2;

    private ExitCode() {}
}
