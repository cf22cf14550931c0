package io.kpsim.replay;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * The JSON Lines form of {@code kpsim replay} (DESIGN.md "Replay output"): one
 * {@link ReplayRecord#toJson()} object per line, in UTF-8, in record order.
 *
 * <p>Why a thread: formatting and writing about 200 bytes per packet cost a quarter of the
 * replaying thread's time, and none of it needs the node. Records are immutable, so they are
 * handed over {@value #BATCH} at a time to a writer thread ({@link OutputThread}), which builds the
 * lines as bytes in one reused {@link JsonText} (the escaped file name, the same on every line of a
 * file, prepared once per file; the states and verdict with their keys once per combination,
 * {@link StateWords}) and writes about {@value #CHUNK} bytes at a time, always whole
 * lines: a million records cost a few thousand writes, no per-line string and no charset encoder.
 * Given a {@link Writer} instead of a stream (tests, picocli's {@code PrintWriter}), each chunk is
 * decoded once on its way out, which is correct because a chunk never splits a line, so never a
 * character.
 *
 * <p>{@link #flush()} writes everything handed over so far, flushes the output, ends the thread
 * and throws the first write error, if any; it must be called at the end, and a failed write
 * also surfaces at the next {@link #record}. The thread starts again with the next record. One
 * producer thread only.
 */
public final class JsonLinesWriter implements RecordOutput {

    /** Bytes gathered before a write. */
    static final int CHUNK = 1 << 16;
    /**
     * Records per hand-over. With {@link #DEPTH} batches queued, at most about 1,300 records wait for
     * the writer: few enough to die in the young generation (see {@code ReadAheadPump.MAX_BATCH}).
     */
    static final int BATCH = 256;
    /** Batches queued ahead of the writer thread. */
    private static final int DEPTH = 4;

    private final OutputStream stream;
    private final Writer writer;
    private final byte[] newline = System.lineSeparator().getBytes(StandardCharsets.US_ASCII);
    private final JsonText buffer = new JsonText(CHUNK + 1024);
    private final OutputThread<ReplayRecord> thread = new OutputThread<>(
            "kpsim-jsonl-writer", "JSON lines writer", BATCH, DEPTH, ReplayRecord[]::new, new Drain());
    private final StateWords stateWords = new StateWords();
    private String file;
    /** The current file's line prefix ({@link StateWords#linePrefix}). */
    private byte[] linePrefix;

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
        thread.add(r);
    }

    /** Writes every line handed over, flushes the output and throws a write error, if any. */
    @Override
    public void flush() {
        thread.finish();
    }

    /** The writer thread's side. */
    private final class Drain implements OutputThread.Drain<ReplayRecord> {
        @Override
        public void batch(ReplayRecord[] records) throws IOException {
            for (ReplayRecord r : records) {
                if (r == null) {
                    break;
                }
                if (r.file() != file) { // identity: every record of one replayed file shares the name's String
                    file = r.file();
                    linePrefix = StateWords.linePrefix(file);
                }
                r.appendLine(buffer, linePrefix, stateWords).raw(newline);
                if (buffer.length() >= CHUNK) {
                    write();
                }
            }
        }

        @Override
        public void end() throws IOException {
            write();
            if (stream != null) {
                stream.flush();
            } else {
                writer.flush();
            }
        }
    }

    private void write() throws IOException {
        int n = buffer.length();
        if (n == 0) {
            return;
        }
        if (stream != null) {
            stream.write(buffer.array(), 0, n);
        } else {
            writer.write(buffer.toString());
        }
        buffer.clear();
    }
}
