package io.kpsim.replay;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JSON Lines form of {@code kpsim replay} (DESIGN.md "Replay output"): one
 * {@link ReplayRecord#toJson()} object per line, in UTF-8, in record order.
 *
 * <p>Why a thread: formatting and writing about 200 bytes per packet cost a quarter of the
 * replaying thread's time, and none of it needs the node. Records are immutable, so they are
 * handed over {@value #BATCH} at a time to a writer thread, which builds the lines as bytes in one
 * reused {@link JsonText} (the escaped file name, the same on every line of a file, prepared once
 * per file) and writes about {@value #CHUNK} bytes at a time, always whole lines: a million
 * records cost a few thousand writes, no per-line string and no charset encoder. Given a
 * {@link Writer} instead of a stream (tests, picocli's {@code PrintWriter}), each chunk is decoded
 * once on its way out, which is correct because a chunk never splits a line, so never a character.
 *
 * <p>{@link #flush()} writes everything handed over so far, flushes the output, ends the thread
 * and throws the first write error, if any; it must be called at the end, and a failed write
 * also surfaces at the next {@link #record}. Any failure of the writer thread, an {@code Error}
 * included, is such an error: the producer is never left waiting on a thread that is gone. The
 * thread starts again with the next record. One producer thread only.
 */
public final class JsonLinesWriter {

    /** Bytes gathered before a write. */
    static final int CHUNK = 1 << 16;
    /**
     * Records per hand-over. With {@link #DEPTH} batches queued, at most about 1,300 records wait for
     * the writer: few enough to die in the young generation (see {@code ReadAheadPump.MAX_BATCH}).
     */
    static final int BATCH = 256;
    /** Batches queued ahead of the writer thread. */
    private static final int DEPTH = 4;
    /** How often a producer waiting for room looks whether the writer thread is still alive. */
    private static final long PUT_POLL_MILLIS = 200;

    private final OutputStream stream;
    private final Writer writer;
    private final byte[] newline = System.lineSeparator().getBytes(StandardCharsets.US_ASCII);
    private final JsonText buffer = new JsonText(CHUNK + 1024);
    private final BlockingQueue<ReplayRecord[]> queue = new ArrayBlockingQueue<>(DEPTH);
    private final BlockingQueue<ReplayRecord[]> spare = new ArrayBlockingQueue<>(DEPTH + 2);
    private ReplayRecord[] batch = new ReplayRecord[BATCH];
    private int count;
    private Thread thread;
    private volatile RuntimeException failure;
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
        batch[count++] = r;
        if (count == BATCH) {
            handOver(false);
        }
    }

    /** Writes every line handed over, flushes the output and throws a write error, if any. */
    public void flush() {
        handOver(true);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing JSON lines", e);
        } finally {
            thread = null;
        }
        throwFailure();
    }

    /**
     * Queues the current batch (null-terminated when short), then a null batch that ends the thread
     * if {@code last}.
     */
    private void handOver(boolean last) {
        if (!last) {
            throwFailure(); // flush() still ends the thread first
        }
        if (thread == null) {
            thread = new Thread(this::drain, "kpsim-jsonl-writer");
            thread.setDaemon(true);
            thread.start();
        }
        if (count < BATCH) {
            batch[count] = null;
        }
        put(batch);
        if (last) {
            put(new ReplayRecord[0]);
        }
        ReplayRecord[] next = spare.poll();
        batch = next != null ? next : new ReplayRecord[BATCH];
        count = 0;
    }

    /** Queues {@code records}; never waits on a writer thread that is gone. */
    private void put(ReplayRecord[] records) {
        try {
            while (!queue.offer(records, PUT_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (!thread.isAlive()) {
                    throwFailure();
                    throw new IllegalStateException("the JSON lines writer thread ended without a word");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing JSON lines", e);
        }
    }

    /** The writer thread: formats and writes batches until the empty batch {@link #flush()} sends. */
    private void drain() {
        boolean ended = false;
        try {
            while (true) {
                ReplayRecord[] records = queue.take();
                if (records.length == 0) {
                    ended = true;
                    write();
                    if (stream != null) {
                        stream.flush();
                    } else {
                        writer.flush();
                    }
                    return;
                }
                format(records);
                spare.offer(records);
            }
        } catch (IOException e) {
            failure = new UncheckedIOException(e);
        } catch (InterruptedException e) {
            failure = new IllegalStateException("JSON lines writer interrupted", e);
        } catch (RuntimeException e) {
            failure = e; // e.g. the output's own unchecked write error: passed on as it is
        } catch (Throwable e) { // an Error: the producer must hear of it, not wait on a dead thread
            failure = new IllegalStateException("the JSON lines writer failed: " + e, e);
        }
        // Failed: keep taking batches so the producer never blocks, until flush()'s empty one.
        try {
            while (!ended) {
                ended = queue.take().length == 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void format(ReplayRecord[] records) throws IOException {
        for (ReplayRecord r : records) {
            if (r == null) {
                break;
            }
            if (r.file() != file) { // identity: every record of one replayed file shares the name's String
                file = r.file();
                fileLiteral = JsonText.literalBytes(file);
            }
            r.appendJson(buffer, fileLiteral).raw(newline);
            if (buffer.length() >= CHUNK) {
                write();
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

    private void throwFailure() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }
}
