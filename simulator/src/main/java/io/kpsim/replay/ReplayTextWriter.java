package io.kpsim.replay;

import java.io.PrintWriter;

/**
 * The human form of {@code kpsim replay}: one tcpdump-like line per record followed by what the
 * node did (ctstate, direction, TCP state, verdict, addresses after NAT, the kernel's reason),
 * then a per-file summary.
 *
 * <pre>
 *    3  0.001200 IP 10.244.2.3.8080 &gt; 10.244.1.2.40001: Flags [P.], seq 1:101, ack 1, win 502, length 100
 *       INVALID  -  ESTABLISHED  ACCEPT  10.244.2.3:8080 &gt; 10.244.1.2:40001  no NAT: INVALID
 *       reason: SEQ is over upper bound 70001 (over the window of the receiver)
 * </pre>
 */
public final class ReplayTextWriter {

    private final PrintWriter out;
    private final String file;
    private final ReplaySummary summary = new ReplaySummary();
    private long firstTimestamp = Long.MIN_VALUE;
    private boolean started;

    /** Writes records of {@code file} to {@code out}. */
    public ReplayTextWriter(PrintWriter out, String file) {
        this.out = out;
        this.file = file;
    }

    private void header() {
        if (!started) {
            out.println("== " + file);
            started = true;
        }
    }

    /** Prints one replayed record. */
    public void record(ReplayStep step) {
        header();
        ReplayRecord r = step.record();
        summary.add(r);
        if (firstTimestamp == Long.MIN_VALUE) {
            firstTimestamp = step.timestampNanos();
        }
        String time = relative(step.timestampNanos() - firstTimestamp);
        if (r.isSkipped()) {
            out.printf("%5d %s skipped: %s%n", r.index(), time, r.skipped());
            return;
        }
        out.printf("%5d %s %s%n", r.index(), time, step.packet().summary());
        StringBuilder s = new StringBuilder("      ");
        s.append(String.format(
                "%-11s %-8s %-11s %-6s",
                r.ctstate(),
                r.ctdir() == null ? "-" : r.ctdir(),
                r.tcpState() == null ? "-" : r.tcpState(),
                r.verdict()));
        if (r.outSrc() != null) {
            s.append("  ").append(r.outSrc()).append(" > ").append(r.outDst());
        }
        if (r.hasInner()) {
            s.append("  (quoting ")
                    .append(r.outInnerSrc())
                    .append(" > ")
                    .append(r.outInnerDst())
                    .append(')');
        }
        if (!step.natNote().isEmpty()) {
            s.append("  ").append(step.natNote());
        }
        out.println(s);
        if (r.reason() != null) {
            out.println("      reason: " + r.reason());
        }
    }

    /**
     * Seconds since the file's first record, to the microsecond, like {@code tcpdump -ttt}'s
     * relative form: {@code 1.500000}; a record stamped before the first one (the capture's clock
     * stepped back) shows with a minus sign, {@code -2.000020}.
     */
    static String relative(long nanos) {
        long magnitude = Math.abs(nanos); // a capture's span is far from Long.MIN_VALUE
        String text = String.format("%d.%06d", magnitude / 1_000_000_000L, magnitude % 1_000_000_000L / 1000);
        return nanos < 0 ? "-" + text : text;
    }

    /** Prints the file's summary line. */
    public void finish() {
        finish("");
    }

    /** Prints the file's summary line, followed by {@code notes} (what the capture's census adds) when any. */
    public void finish(String notes) {
        header();
        out.println("-- " + file + ": " + summary.line() + (notes.isEmpty() ? "" : "; " + notes));
    }
}
