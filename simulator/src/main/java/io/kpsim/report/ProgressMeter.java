package io.kpsim.report;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * A one-line progress indicator on a terminal for long runs: simulated time done out of the
 * scenario's duration, redrawn in place with a carriage return and erased at the end. It stays
 * silent for runs that finish within half a second of wall time, and the CLI only creates one
 * when stderr is a terminal and the output is neither quiet nor JSON, so it never mixes into
 * output that programs read. Wall-clock time is read here only, never in the model.
 */
public final class ProgressMeter {

    private static final long QUIET_NANOS = 500_000_000L;

    private final PrintStream err;
    private final long totalNanos;
    private final LongSupplier wallClock;
    private final long startedWall;
    private boolean drawn;
    private int lastPercent = -1;

    /** A meter for a run of {@code totalNanos} of simulated time, drawn on {@code err}. */
    public ProgressMeter(PrintStream err, long totalNanos) {
        this(err, totalNanos, System::nanoTime);
    }

    /** A meter reading wall-clock nanoseconds from {@code wallClock} (tests pass a fake one). */
    public ProgressMeter(PrintStream err, long totalNanos, LongSupplier wallClock) {
        this.err = err;
        this.totalNanos = Math.max(1, totalNanos);
        this.wallClock = wallClock;
        this.startedWall = wallClock.getAsLong();
    }

    /** Reports that the simulation reached {@code simulatedNanos}. */
    public void at(long simulatedNanos) {
        long wall = wallClock.getAsLong() - startedWall;
        if (wall < QUIET_NANOS) {
            return;
        }
        int percent = (int) Math.min(100, simulatedNanos * 100 / totalNanos);
        if (percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        drawn = true;
        err.print("\rkpsim: simulating " + percent + "% (" + HopText.time(simulatedNanos) + " of "
                + HopText.time(totalNanos) + ", " + wall / 1_000_000_000L + "s elapsed)");
        err.flush();
    }

    /** Erases the line, if one was drawn. */
    public void done() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
