package io.kpsim.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * The JSON Lines form of {@code kpsim replay} (DESIGN.md "Replay output"): one
 * {@link ReplayRecord#toJson()} object per line.
 *
 * <p>Lines are built in one reused buffer and handed to the writer about {@value #CHUNK}
 * characters at a time: a million records then cost a few hundred writes instead of a million
 * (a {@code println} per line flushes an autoflush writer each time) and no per-line string.
 * {@link #flush()} must be called at the end.
 */
public final class JsonLinesWriter {

    /** Characters gathered before a write. */
    static final int CHUNK = 1 << 16;

    private final Writer out;
    private final String newline = System.lineSeparator();
    private final StringBuilder buffer = new StringBuilder(CHUNK + 1024);
    private char[] chars = new char[CHUNK + 1024];

    /** Writes lines to {@code out}. */
    public JsonLinesWriter(Writer out) {
        this.out = out;
    }

    /** Adds one record's line. */
    public void record(ReplayRecord r) {
        r.appendJson(buffer).append(newline);
        if (buffer.length() >= CHUNK) {
            drain();
        }
    }

    /** Writes every buffered line and flushes the writer. */
    public void flush() {
        drain();
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void drain() {
        int n = buffer.length();
        if (n == 0) {
            return;
        }
        if (chars.length < n) {
            chars = new char[n];
        }
        buffer.getChars(0, n, chars, 0);
        buffer.setLength(0);
        try {
            out.write(chars, 0, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
