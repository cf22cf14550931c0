package io.kpsim.pcap;

import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;

/**
 * Reads and decodes records on its own thread, a batch at a time, while the reader's thread hands
 * out (and the caller tracks) the previous batch.
 *
 * <p>Why a thread: crossing into libpcap and copying each record into Java, then decoding it, is
 * work the thread that tracks the packets need not do. Running it on a second core overlaps the
 * two. Records keep their file order; only the reading moves.
 *
 * <p>Records are pulled with {@code pcap_next_ex()} ({@link RecordCursor}), not pushed by pcap4j's
 * {@code PcapHandle.dispatch()}: its per-record JNA callback cost about 1 µs of this thread's CPU,
 * more than the decoding. A batch ends after {@link #MAX_BATCH} records or about
 * {@link #BATCH_BYTES} of frames, whichever comes first, so read-ahead memory stays bounded.
 *
 * <p>Whatever goes wrong on the pump's thread, an {@code Error} included, ends its file with a last
 * batch that carries the failure, so the consumer always hears of it; {@link #take()} also watches
 * the thread, so a consumer never waits on a pump that is gone.
 *
 * <p>The native calls for a batch run under {@link #nativeLock}, which {@link #stop()} takes to
 * mark the handle closed: pcap4j's own lock does not cover them, and the handle must not be freed
 * while {@code pcap_next_ex()} is running or its pointers are being read.
 */
final class ReadAheadPump implements Runnable {

    /** Records in the first batch, before frame sizes are known. */
    static final int FIRST_BATCH = 64;
    /** Most records per batch. */
    static final int MAX_BATCH = 4096;

    private static final int MIN_BATCH = 16;
    /** Frame bytes per batch, so 64 KiB GRO frames cannot pile up hundreds of MiB. */
    static final long BATCH_BYTES = 4L << 20;
    /** Batches read ahead of the consumer. */
    private static final int DEPTH = 4;

    private static final long JOIN_MILLIS = 5_000;
    /** How often {@link #take()} looks whether the pump is still alive while it waits. */
    private static final long TAKE_POLL_MILLIS = 200;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final String name;
    private final PcapHandle handle;
    private final RecordCursor cursor;
    private final LinkType linkType;
    /** Whether to sum each packet's checksums here, not on first ask ({@link PcapReader#open(Path, boolean)}). */
    private final boolean checksumsAhead;

    private final BlockingQueue<RecordBatch> ready = new ArrayBlockingQueue<>(DEPTH);
    private final Object nativeLock = new Object();
    private final Thread thread;
    private volatile boolean stopped;
    /** Set under {@link #nativeLock} once the handle may be closed: no native call after it. */
    private boolean closed;

    private long count;

    ReadAheadPump(String name, PcapHandle handle, RecordCursor cursor, LinkType linkType, boolean checksumsAhead) {
        this.name = name;
        this.handle = handle;
        this.cursor = cursor;
        this.linkType = linkType;
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
                synchronized (nativeLock) {
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
     * Fills {@code batch} from the file; marks it last at the end of the file or at an error,
     * including a record header that cannot be right.
     *
     * @return the frame bytes read
     */
    private long read(RecordBatch batch) {
        int capacity = batch.frames.length;
        RecordCursor c = cursor;
        long bytes = 0;
        while (batch.size < capacity && bytes < BATCH_BYTES && !stopped) {
            int status = c.next();
            if (status != PcapNextEx.RECORD) {
                batch.last = true;
                if (status != PcapNextEx.END) {
                    batch.error = failure(status);
                }
                break;
            }
            byte[] frame = c.frame;
            String bad = badHeader(c, frame.length);
            if (bad != null) {
                batch.last = true;
                batch.error = new CaptureException(name + ": record " + count + " " + bad, count);
                break;
            }
            int i = batch.size;
            batch.frames[i] = frame;
            batch.timestamps[i] = c.timestampNanos;
            batch.originalLengths[i] = c.originalLength;
            batch.size = i + 1;
            bytes += frame.length;
            count++;
        }
        return bytes;
    }

    /**
     * What is wrong with the header of the record just read, or {@code null}: libpcap checks the
     * captured length against the snap length but passes these through as the file has them.
     */
    private static String badHeader(RecordCursor c, int captured) {
        if (c.originalLength < captured) {
            return "has an original length (" + Integer.toUnsignedString(c.originalLength) + " bytes) shorter than the "
                    + captured + " bytes captured: a corrupt record header";
        }
        if (c.fractionNanos < 0 || c.fractionNanos >= NANOS_PER_SECOND) {
            return "has a timestamp whose fraction of a second (" + c.fractionNanos
                    + " ns) is not below one second: a corrupt record header";
        }
        return null;
    }

    /** Why record {@link #count} could not be read, in kpsim's one-line form. */
    private RuntimeException failure(int status) {
        if (status != PcapNextEx.ERROR) { // PcapNextEx.TIMEOUT is for live captures: never for a savefile
            return new CaptureException(
                    LibpcapErrors.recordFailed(name, count, "pcap_next_ex() returned " + status), count);
        }
        String message;
        try {
            message = handle.getError(); // pcap_geterr()
        } catch (NotOpenException e) {
            message = "the file was closed";
        }
        return new CaptureException(LibpcapErrors.recordFailed(name, count, message), count);
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
                DecodedPacket decoded = LinkLayer.decode(linkType, frame, frame.length, batch.originalLengths[i]);
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
     * Stops reading and waits (briefly) for the thread to leave libpcap; afterwards no native call
     * is made, and the handle may be closed.
     */
    void stop() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (nativeLock) {
            closed = true;
        }
    }
}
