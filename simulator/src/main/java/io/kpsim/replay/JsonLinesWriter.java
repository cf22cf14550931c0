package io.kpsim.replay;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * The JSON Lines form of {@code kpsim replay} (DESIGN.md "Replay output"): one
 * {@link ReplayRecord#toJson()} object per line, in UTF-8.
 *
 * <p>Lines are built as bytes in one reused {@link JsonText} and written about {@value #CHUNK}
 * bytes at a time, always whole lines: a million records cost a few thousand writes, no per-line
 * string and no charset encoder. The escaped file name, the same on every line of a file, is
 * prepared once per file. Given a {@link Writer} instead of a stream (tests, picocli's
 * {@code PrintWriter}), each chunk is decoded once on its way out, which is correct because a
 * chunk never splits a line, so never a character. {@link #flush()} must be called at the end.
 */
public final class JsonLinesWriter {

    /** Bytes gathered before a write. */
    static final int CHUNK = 1 << 16;

    private final OutputStream stream;
    private final Writer writer;
    private final byte[] newline = System.lineSeparator().getBytes(StandardCharsets.US_ASCII);
    private final JsonText buffer = new JsonText(CHUNK + 1024);
    private String file;
    private byte[] fileLiteral;

    /** Writes UTF-8 lines to {@code out}; the fast form, for standard output or a file. */
    public JsonLinesWriter(OutputStream out) {
        this.stream = out;
        this.writer = null;
    }

    /** Writes lines to {@code out} as characters. */
    public JsonLinesWriter(Writer out) {
        this.stream = null;
        this.writer = out;
    }

    /** Adds one record's line. */
    public void record(ReplayRecord r) {
        if (r.file() != file) { // identity: every record of one replayed file shares the name's String
            file = r.file();
            fileLiteral = JsonText.literalBytes(file);
        }
        r.appendJson(buffer, fileLiteral).raw(newline);
        if (buffer.length() >= CHUNK) {
            drain();
        }
    }

    /** Writes every buffered line and flushes the output. */
    public void flush() {
        drain();
        try {
            if (stream != null) {
                stream.flush();
            } else {
                writer.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void drain() {
        int n = buffer.length();
        if (n == 0) {
            return;
        }
        try {
            if (stream != null) {
                stream.write(buffer.array(), 0, n);
            } else {
                writer.write(buffer.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buffer.clear();
    }
}
