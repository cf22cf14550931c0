package io.kpsim.cli;

import io.kpsim.fault.UserFault;

/**
 * A problem with what the user asked for on the command line (an option value, an argument, a
 * file named there), reported as one line and exit code 2, never with a stack trace.
 */
final class UserError extends UserFault {

    private static final long serialVersionUID = 1L;

    UserError(String message) {
        super(message);
    }

    UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
