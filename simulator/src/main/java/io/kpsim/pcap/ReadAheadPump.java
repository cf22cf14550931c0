package io.kpsim.pcap;

import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads and decodes records on its own thread, a batch at a time, while the reader's thread hands
 * out (and the caller tracks) the previous batch.
 *
 * <p>Why a thread: parsing the file and copying each record's bytes, then decoding it, is work the
 * thread that tracks the packets need not do. Running it on a second core overlaps the two.
 * Records keep their file order; only the reading moves. A batch ends after {@link #MAX_BATCH}
 * records or about {@link #BATCH_BYTES} of frames, whichever comes first, so read-ahead memory
 * stays bounded.
 *
 * <p>Whatever goes wrong on the pump's thread, an {@code Error} included, ends its file with a last
 * batch that carries the failure, so the consumer always hears of it; {@link #take()} also watches
 * the thread, so a consumer never waits on a pump that is gone. A bad record
 * ({@link CaptureException}) ends the file the same way, after the records before it.
 */
final class ReadAheadPump implements Runnable {

    /** Records in the first batch, before frame sizes are known. */
    static final int FIRST_BATCH = 64;
    /**
     * Most records per batch. Small enough that what is read ahead (at most {@link #DEPTH} batches)
     * dies young: with the launcher's 32 MiB young generation, 4,096-record batches kept about
     * 25,000 records alive across each young collection, which promoted them all, grew the old
     * generation to hundreds of MiB and made each collection copy tens of MiB (src/docs/benchmarks.md
     * section 3). A hand-over per thousand records costs nothing measurable.
     */
    static final int MAX_BATCH = 1024;

    private static final int MIN_BATCH = 16;
    /** Frame bytes per batch, so 64 KiB GRO frames cannot pile up: at most a few MiB are read ahead. */
    static final long BATCH_BYTES = 1L << 20;
    /** Batches read ahead of the consumer. */
    private static final int DEPTH = 3;

    private static final long JOIN_MILLIS = 5_000;
    /** How often {@link #take()} looks whether the pump is still alive while it waits. */
    private static final long TAKE_POLL_MILLIS = 200;

    private final String name;
    private final RecordSource source;
    /** Whether to sum each packet's checksums here, not on first ask ({@link PcapReader#open(Path, boolean)}). */
    private final boolean checksumsAhead;

    private final BlockingQueue<RecordBatch> ready = new ArrayBlockingQueue<>(DEPTH);
    private final Object sourceLock = new Object();
    private final Thread thread;
    private volatile boolean stopped;
    /** Set under {@link #sourceLock} once the source may be closed: no read after it. */
    private boolean closed;

    private long count;

    ReadAheadPump(String name, RecordSource source, boolean checksumsAhead) {
        this.name = name;
        this.source = source;
        this.checksumsAhead = checksumsAhead;
        this.thread = new Thread(this, "kpsim-pcap-reader " + name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        int records = FIRST_BATCH;
        RecordBatch batch;
        do {
            batch = null;
            try {
                batch = new RecordBatch(records);
                long bytes;
                synchronized (sourceLock) {
                    bytes = closed ? -1 : read(batch);
                }
                if (bytes < 0) {
                    batch.last = true; // the reader is closing
                }
                decode(batch);
                if (batch.size > 0) {
                    long average = Math.max(1, bytes / batch.size);
                    records = (int) Math.max(MIN_BATCH, Math.min(MAX_BATCH, BATCH_BYTES / average));
                }
            } catch (Throwable t) { // an Error too: the consumer must hear of it, never wait for ever
                if (batch == null) {
                    batch = new RecordBatch(0);
                }
                // The records read before it go out first (those not decoded here are decoded by the reader).
                batch.error = new IllegalStateException(name + ": reading record " + count + " failed: " + t, t);
                batch.last = true;
            }
            hand(batch);
        } while (!batch.last && !stopped);
    }

    /**
     * Fills {@code batch} from the file; marks it last at the end of the file or at a bad record.
     *
     * @return the frame bytes read
     */
    private long read(RecordBatch batch) {
        int capacity = batch.frames.length;
        RecordSource s = source;
        long bytes = 0;
        while (batch.size < capacity && bytes < BATCH_BYTES && !stopped) {
            boolean more;
            try {
                more = s.next();
            } catch (CaptureException e) {
                batch.last = true;
                batch.error = e;
                break;
            }
            if (!more) {
                batch.last = true;
                break;
            }
            byte[] frame = s.frame;
            int i = batch.size;
            batch.frames[i] = frame;
            batch.timestamps[i] = s.timestampNanos;
            batch.originalLengths[i] = s.originalLength;
            batch.interfaces[i] = s.iface;
            batch.flags[i] = s.flags;
            batch.size = i + 1;
            bytes += frame.length;
            count++;
        }
        return bytes;
    }

    /**
     * Decodes the batch here rather than on the reader's thread: the frames were just copied in on
     * this core, and it takes the decoding (and, when asked, the checksums) off the thread that
     * tracks the packets. A frame whose decoding throws is left for the reader, which then throws at
     * that record.
     */
    private void decode(RecordBatch batch) {
        for (int i = 0; i < batch.size && !stopped; i++) {
            byte[] frame = batch.frames[i];
            try {
                DecodedPacket decoded =
                        LinkLayer.decode(batch.interfaces[i].linkType(), frame, frame.length, batch.originalLengths[i]);
                if (checksumsAhead && !decoded.isSkipped()) {
                    decoded.ipChecksumValid(); // each sums and caches; handing the batch over publishes them
                    decoded.l4ChecksumValid();
                }
                batch.decoded[i] = decoded;
            } catch (RuntimeException e) {
                batch.decoded[i] = null;
            }
        }
    }

    private void hand(RecordBatch batch) {
        try {
            while (!stopped) {
                if (ready.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The next batch, waiting for the pump if needed. Should the pump's thread be gone without a
     * last batch (it hands one over for any failure, so this is a kpsim bug), the wait ends with
     * an error instead of lasting for ever.
     */
    RecordBatch take() {
        try {
            while (true) {
                RecordBatch batch = ready.poll(TAKE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (batch != null) {
                    return batch;
                }
                if (!thread.isAlive() && ready.isEmpty()) {
                    return failed(new IllegalStateException(
                            name + ": the reader thread ended without handing over record " + count));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(new CaptureException(name + ": reading interrupted", count));
        }
    }

    private static RecordBatch failed(RuntimeException error) {
        RecordBatch batch = new RecordBatch(0);
        batch.last = true;
        batch.error = error;
        return batch;
    }

    /**
     * Stops reading and waits (briefly) for the thread to finish its read; afterwards the source is
     * not read again and may be closed.
     */
    void stop() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (sourceLock) {
            closed = true;
        }
    }
}
