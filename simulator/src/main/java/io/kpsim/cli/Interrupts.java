package io.kpsim.cli;

import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * What kpsim says and keeps when Ctrl-C (SIGINT) or SIGTERM stops a command.
 *
 * <p>The JVM turns both signals into an orderly shutdown: it runs the shutdown hooks, then exits
 * with 128 plus the signal's number (130 for SIGINT, 143 for SIGTERM), as a shell expects of a
 * program a signal ended. While a command runs, it registers what it is doing here
 * ({@link #during}); if the JVM shuts down before the command ends, that can only be a signal, and
 * the hook asks the command what it was doing and what it kept (closing {@code --pcap} captures as
 * valid files on the way), flushes what standard output holds, and prints one line on stderr:
 * {@code kpsim: interrupted: ...}. The command's own thread is not stopped: the JVM halts it once
 * the hooks are done, so the hook must leave nothing half-done behind it.
 *
 * <p>A signal the shell told kpsim to ignore (a background job's SIGINT) stays ignored: the JVM
 * does not start a shutdown for it. {@link #none()} (for tests that run commands in-process)
 * registers nothing.
 */
final class Interrupts {

    /** How long the hook waits for standard output to take what is buffered (a blocked pipe must not hang exit). */
    private static final long FLUSH_MILLIS = 500;

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean active;
    private Thread hook;

    private Interrupts(PrintWriter out, PrintWriter err, boolean active) {
        this.out = out;
        this.err = err;
        this.active = active;
    }

    /** Interrupt reporting for the real process, writing to its standard output and error. */
    static Interrupts forProcess(PrintWriter out, PrintWriter err) {
        return new Interrupts(out, err, true);
    }

    /** No reporting: commands run in-process by tests, where no signal can arrive. */
    static Interrupts none() {
        return new Interrupts(null, null, false);
    }

    /**
     * Until {@link #end()}, a signal makes kpsim print {@code kpsim: interrupted: } and what
     * {@code activity} answers: what was stopped and what was kept. The supplier runs on the
     * shutdown hook's thread, concurrently with the command, and must be thread-safe.
     */
    synchronized void during(Supplier<String> activity) {
        end();
        if (!active) {
            return;
        }
        hook = new Hook(activity);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The command finished: a later shutdown is the ordinary exit. */
    synchronized void end() {
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs and says what happened
        }
        hook = null;
    }

    /**
     * The shutdown hook, which says what {@code activity} answers. A class rather than a lambda: each
     * lambda is a call site linked at its first use, in every run (src/docs/benchmarks.md,
     * "Start-up", session 11).
     */
    private final class Hook extends Thread {
        private final Supplier<String> activity;

        Hook(Supplier<String> activity) {
            super("kpsim-interrupt");
            this.activity = activity;
        }

        @Override
        public void run() {
            Interrupts.this.interrupted(activity);
        }
    }

    private void interrupted(Supplier<String> activity) {
        String what;
        try {
            what = activity.get();
        } catch (Throwable t) {
            what = "the command was stopped; cleaning up failed: " + t;
        }
        flushOutput();
        err.println("kpsim: interrupted: " + what);
        err.flush();
    }

    /** Hands standard output what it holds, unless the command's thread keeps it busy too long. */
    private void flushOutput() {
        Thread flusher = new Thread(
                () -> {
                    try {
                        out.flush();
                    } catch (RuntimeException e) {
                        // a broken pipe or full disk: nothing more can be shown there
                    }
                },
                "kpsim-interrupt-flush");
        flusher.setDaemon(true);
        flusher.start();
        try {
            flusher.join(FLUSH_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
