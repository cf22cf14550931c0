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
 *
 * <p>Why a thread: the two or three lines of a packet cost more to format than the node costs to
 * replay it. Steps are immutable, so they go {@value #BATCH} at a time to a writer thread
 * ({@link OutputThread}), which formats them into one reused {@code StringBuilder} (no
 * {@code String.format}: the columns are padded by hand) and writes about {@value #CHUNK}
 * characters at a time, always whole lines, in record order. {@link #flush()} (or
 * {@link #finish(String)}) must be called at the end; a write error surfaces there or at the next
 * {@link #record}. One producer thread only.
 */
public final class ReplayTextWriter implements RecordOutput {

    /** Characters gathered before a write. */
    static final int CHUNK = 1 << 15;
    /** Steps per hand-over (few, so that the steps in flight die young). */
    static final int BATCH = 256;
    /** Batches queued ahead of the writer thread. */
    private static final int DEPTH = 4;

    private static final String NEWLINE = System.lineSeparator();

    private final PrintWriter out;
    private final String file;
    private final ReplaySummary summary = new ReplaySummary();
    private final StringBuilder text = new StringBuilder(CHUNK + 1024);
    /** The characters of a chunk on their way out: copied once from {@link #text}, not through a string. */
    private char[] chunk = new char[CHUNK + 1024];

    private final OutputThread<ReplayStep> thread =
            new OutputThread<>("kpsim-text-writer", "text writer", BATCH, DEPTH, ReplayStep[]::new, new Drain());
    private long firstTimestamp = Long.MIN_VALUE;
    private boolean started;

    /** Writes records of {@code file} to {@code out}. */
    public ReplayTextWriter(PrintWriter out, String file) {
        this.out = out;
        this.file = file;
    }

    /** Prints one replayed record (on the writer thread, after the records before it). */
    public void record(ReplayStep step) {
        thread.add(step);
    }

    /** Writes every record handed over so far, flushes the output and throws a write error, if any. */
    @Override
    public void flush() {
        thread.finish();
    }

    /** Prints the file's summary line. */
    public void finish() {
        finish("");
    }

    /** Prints the file's summary line, followed by {@code notes} (what the capture's census adds) when any. */
    public void finish(String notes) {
        flush();
        header();
        out.write(text.toString());
        text.setLength(0);
        out.println("-- " + file + ": " + summary.line() + (notes.isEmpty() ? "" : "; " + notes));
    }

    private void header() {
        if (!started) {
            text.append("== ").append(file).append(NEWLINE);
            started = true;
        }
    }

    /** The writer thread's side. */
    private final class Drain implements OutputThread.Drain<ReplayStep> {
        @Override
        public void batch(ReplayStep[] steps) {
            for (ReplayStep step : steps) {
                if (step == null) {
                    break;
                }
                format(step);
                if (text.length() >= CHUNK) {
                    write();
                }
            }
        }

        @Override
        public void end() {
            write();
            out.flush();
        }
    }

    private void write() {
        int n = text.length();
        if (n > 0) {
            if (n > chunk.length) {
                chunk = new char[n];
            }
            text.getChars(0, n, chunk, 0);
            out.write(chunk, 0, n);
            text.setLength(0);
        }
    }

    /** Appends one record's lines to {@link #text}. */
    private void format(ReplayStep step) {
        header();
        ReplayRecord r = step.record();
        summary.add(r);
        if (firstTimestamp == Long.MIN_VALUE) {
            firstTimestamp = step.timestampNanos();
        }
        StringBuilder s = text;
        int index = r.index();
        if (index < 0) {
            padLeft(s, Integer.toString(index), 5);
        } else {
            for (int width = 10_000; width > 1 && index < width; width /= 10) {
                s.append(' '); // %5d without a string
            }
            s.append(index);
        }
        s.append(' ');
        relative(s, step.timestampNanos() - firstTimestamp);
        if (r.isSkipped()) {
            s.append(" skipped: ").append(r.skipped()).append(NEWLINE);
            return;
        }
        step.packet().appendSummary(s.append(' ')).append(NEWLINE);
        s.append("      ");
        padRight(s, String.valueOf(r.ctstate()), 11).append(' ');
        padRight(s, r.ctdir() == null ? "-" : r.ctdir().toString(), 8).append(' ');
        padRight(s, r.tcpState() == null ? "-" : r.tcpState().toString(), 11).append(' ');
        padRight(s, String.valueOf(r.verdict()), 6);
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
        int beforeNat = s.length();
        if (step.appendNatNote(s.append("  ")).length() == beforeNat + 2) {
            s.setLength(beforeNat); // no NAT note
        }
        s.append(NEWLINE);
        if (r.reason() != null) {
            s.append("      reason: ").append(r.reason()).append(NEWLINE);
        }
    }

    /** {@code value} right-aligned in {@code width} columns ({@code %5d}). */
    private static StringBuilder padLeft(StringBuilder s, String value, int width) {
        for (int i = value.length(); i < width; i++) {
            s.append(' ');
        }
        return s.append(value);
    }

    /** {@code value} left-aligned in {@code width} columns ({@code %-11s}). */
    private static StringBuilder padRight(StringBuilder s, String value, int width) {
        s.append(value);
        for (int i = value.length(); i < width; i++) {
            s.append(' ');
        }
        return s;
    }

    /**
     * Seconds since the file's first record, to the microsecond, like {@code tcpdump -ttt}'s
     * relative form: {@code 1.500000}; a record stamped before the first one (the capture's clock
     * stepped back) shows with a minus sign, {@code -2.000020}.
     */
    static String relative(long nanos) {
        return relative(new StringBuilder(16), nanos).toString();
    }

    private static StringBuilder relative(StringBuilder s, long nanos) {
        long magnitude = Math.abs(nanos); // a capture's span is far from Long.MIN_VALUE
        if (nanos < 0) {
            s.append('-');
        }
        s.append(magnitude / 1_000_000_000L).append('.');
        long micros = magnitude % 1_000_000_000L / 1000;
        for (long d = 100_000; d > 1 && micros < d; d /= 10) {
            s.append('0');
        }
        return s.append(micros);
    }
}
