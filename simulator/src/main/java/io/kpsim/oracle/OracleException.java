package io.kpsim.oracle;

/**
 * The kernel oracle could not do its job on this machine: a command failed, a namespace could
 * not be created, a capture handle could not be opened. The message is one line naming what
 * failed; the CLI prints it and exits with code 2, as for bad input.
 */
public final class OracleException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure described in one line. */
    public OracleException(String message) {
        super(message);
    }

    /** A failure described in one line, keeping its cause for debugging. */
    public OracleException(String message, Throwable cause) {
        super(message, cause);
    }
}
