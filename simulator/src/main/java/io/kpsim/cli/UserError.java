package io.kpsim.cli;

/**
 * A problem with what the user asked for (a file, an option value), reported as one line and
 * exit code 2, never with a stack trace.
 */
final class UserError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UserError(String message) {
        super(message, null, false, false);
    }
}
