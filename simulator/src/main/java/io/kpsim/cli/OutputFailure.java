package io.kpsim.cli;

import io.kpsim.fault.UserFault;
import java.io.IOException;

/**
 * Standard output could not be written: the disk behind a redirection is full ({@code ENOSPC}),
 * the device refuses ({@code > /dev/full}), or the pipe's reader has gone ({@code EPIPE}, as after
 * {@code | head -1}).
 *
 * <p>Unchecked on purpose: {@link java.io.PrintWriter} swallows {@link IOException}s (it only sets
 * {@code checkError()}), so a command writing line after line would run on for nothing. This
 * exception passes through the writer and ends the command at the first failed write. A broken
 * pipe ends it quietly ({@link ExitCode#BROKEN_PIPE}); anything else is one line naming what could
 * not be written, exit 2.
 */
final class OutputFailure extends UserFault {

    private static final long serialVersionUID = 1L;

    private final boolean brokenPipe;

    private OutputFailure(String message, boolean brokenPipe, IOException cause) {
        super(message, cause);
        this.brokenPipe = brokenPipe;
    }

    /** The failure of a write to {@code what} (e.g. "standard output"). */
    static OutputFailure of(String what, IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // FileOutputStream reports errno with strerror(): EPIPE is "Broken pipe".
        boolean pipe = reason.contains("Broken pipe");
        return new OutputFailure("cannot write " + what + ": " + reason, pipe, e);
    }

    /** Whether the reader of a pipe went away: the command stops without a word. */
    boolean brokenPipe() {
        return brokenPipe;
    }
}
