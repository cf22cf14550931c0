package io.kpsim.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress bar on a terminal for long runs: the simulated time reached out of the scenario's
 * duration, the wall time so far and an estimate of the time left, redrawn in place with a carriage
 * return and erased at the end:
 *
 * <pre>
 * kpsim: [####--------]  40% 0.400s of 1.000s simulated, 3s elapsed, 5s left
 * </pre>
 *
 * <p>It is redrawn at most four times a second and stays silent for runs that finish within a
 * second of wall time. The simulation tells it the time reached every few events
 * ({@code Simulation.watch}), so it moves during long stretches too. The CLI only creates
 * one when stderr is a terminal ({@link #onTerminal}), so it never mixes into output that programs
 * read. The time left assumes the rest of the run goes at the pace so far, measured in simulated
 * time or, when it says more, in work done out of the work expected ({@link #expect}: packets sent
 * out of the estimate), as a run's work is rarely spread evenly over its simulated time. Wall-clock
 * time is read here only, never in the model.
 */
public final class ProgressMeter {

    private static final long QUIET_NANOS = 1_000_000_000L;
    private static final long REDRAW_NANOS = 250_000_000L;
    private static final int BAR_WIDTH = 12;

    private final PrintStream err;
    private final long totalNanos;
    private final LongSupplier wallClock;
    private final long startedWall;
    private boolean drawn;
    private long lastDrawWall;
    private long workExpected;
    private LongSupplier workDone = () -> 0L;

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

    /**
     * A meter on {@link System#err} when the process's stderr is a terminal (Linux:
     * {@code /proc/self/fd/2} names a tty), else {@code null}. Only stderr is asked: stdout may be
     * a pipe or a file while a person watches stderr.
     */
    public static ProgressMeter onTerminal(long totalNanos) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            boolean tty = target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            return tty ? new ProgressMeter(System.err, totalNanos) : null;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /**
     * Measures progress for the time left also as {@code done} out of {@code expected} units of
     * work, read only when the bar is drawn. The fraction never reaches the end before the
     * simulated time does: the expectation is an estimate.
     */
    public void expect(long expected, LongSupplier done) {
        this.workExpected = expected;
        this.workDone = done;
    }

    /** Reports that the simulation reached {@code simulatedNanos}. */
    public void at(long simulatedNanos) {
        long now = wallClock.getAsLong();
        long wall = now - startedWall;
        if (wall < QUIET_NANOS) {
            return;
        }
        if (drawn && now - lastDrawWall < REDRAW_NANOS) {
            return;
        }
        lastDrawWall = now;
        drawn = true;
        err.print("\r" + line(simulatedNanos, wall));
        err.flush();
    }

    /** Erases the line, if one was drawn. */
    public void done() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
        }
    }

    /** The bar for {@code simulatedNanos} reached after {@code wallNanos} of wall time. */
    String line(long simulatedNanos, long wallNanos) {
        long done = Math.min(totalNanos, Math.max(0, simulatedNanos));
        int filled = (int) (done * BAR_WIDTH / totalNanos);
        StringBuilder s = new StringBuilder("kpsim: [");
        s.append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append("] ");
        s.append(String.format(
                Locale.ROOT,
                "%3d%% %.3fs of %.3fs simulated, ",
                done * 100 / totalNanos,
                done / 1e9,
                totalNanos / 1e9));
        s.append(wallTime(wallNanos)).append(" elapsed, ");
        double fraction = (double) done / totalNanos;
        if (workExpected > 0) {
            fraction = Math.max(fraction, Math.min(0.99, (double) workDone.getAsLong() / workExpected));
        }
        if (fraction == 0) {
            s.append("time left unknown");
        } else {
            long left = (long) (wallNanos * (1 - fraction) / fraction);
            s.append(wallTime(left)).append(" left");
        }
        return s.append("\033[K").toString();
    }

    /** Wall time in whole seconds, minutes and hours: {@code 7s}, {@code 2m05s}, {@code 1h02m}. */
    static String wallTime(long nanos) {
        long seconds = nanos / 1_000_000_000L;
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + String.format(Locale.ROOT, "%02d", seconds % 60) + "s";
        }
        return seconds / 3600 + "h" + String.format(Locale.ROOT, "%02d", seconds / 60 % 60) + "m";
    }
}
