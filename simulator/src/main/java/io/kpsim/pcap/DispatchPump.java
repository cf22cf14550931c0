package io.kpsim.pcap;

import java.sql.Timestamp;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.RawPacketListener;

/**
 * Reads and decodes records on its own thread, a batch per {@code pcap_dispatch()}, while the
 * reader's thread hands out (and the caller tracks) the previous batch.
 *
 * <p>Why: pcap4j crosses into libpcap through JNA, and its per-record callback (a JNA upcall that
 * builds a {@code java.sql.Timestamp}, two {@code ThreadLocal} values and a copy of the frame) costs
 * about as much CPU as everything kpsim does with the record afterwards. Running it on a second
 * core overlaps the two. Records keep their file order; only the reading moves.
 *
 * <p>The callback never throws: pcap4j logs and swallows listener exceptions, which would lose
 * records silently.
 */
final class DispatchPump implements Runnable {

    /** Records in the first {@code pcap_dispatch()} call, before frame sizes are known. */
    static final int FIRST_BATCH = 64;
    /** Most records per call: each call makes JNA build a new native callback trampoline. */
    static final int MAX_BATCH = 4096;
    private static final int MIN_BATCH = 16;
    /** Frame bytes aimed at per batch, so 64 KiB GRO frames cannot pile up hundreds of MiB. */
    private static final long BATCH_BYTES = 4L << 20;
    /** Batches read ahead of the consumer. */
    private static final int DEPTH = 4;
    private static final long JOIN_MILLIS = 5_000;

    private final String name;
    private final PcapHandle handle;
    private final LinkType linkType;
    private final BlockingQueue<RecordBatch> ready = new ArrayBlockingQueue<>(DEPTH);
    private final RawPacketListener collector = this::collect;
    private final Thread thread;
    private volatile boolean stopped;
    private RecordBatch current;
    private long count;
    private long bytes;

    DispatchPump(String name, PcapHandle handle, LinkType linkType) {
        this.name = name;
        this.handle = handle;
        this.linkType = linkType;
        this.thread = new Thread(this, "kpsim-pcap-reader " + name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        boolean last = false;
        int records = FIRST_BATCH;
        while (!last && !stopped) {
            RecordBatch batch = new RecordBatch(records);
            current = batch;
            bytes = 0;
            try {
                last = handle.dispatch(records, collector) == 0; // 0 only at the end of a savefile
            } catch (PcapNativeException e) {
                batch.error = new CaptureException(LibpcapErrors.recordFailed(name, count, e.getMessage()), count, e);
                last = true;
            } catch (InterruptedException | NotOpenException e) {
                last = true; // the reader is closing
            } catch (RuntimeException | Error e) {
                batch.error = new IllegalStateException(name + ": reading record " + count + " failed", e);
                last = true;
            }
            batch.last = last;
            decode(batch);
            hand(batch);
            if (batch.size > 0) {
                long average = Math.max(1, bytes / batch.size);
                records = (int) Math.max(MIN_BATCH, Math.min(MAX_BATCH, BATCH_BYTES / average));
            }
        }
    }

    private void collect(byte[] frame) {
        RecordBatch b = current;
        Timestamp ts = handle.getTimestamp();
        int i = b.size;
        b.frames[i] = frame;
        b.timestamps[i] = Math.floorDiv(ts.getTime(), 1000L) * 1_000_000_000L + ts.getNanos();
        b.originalLengths[i] = handle.getOriginalLength();
        b.size = i + 1;
        bytes += frame.length;
        count++;
    }

    /**
     * Decodes the batch here rather than on the reader's thread: the frames were just copied in on
     * this core, and it takes the decoding (checksums included) off the thread that tracks the
     * packets. A frame whose decoding throws is left for the reader, which then throws at that record.
     */
    private void decode(RecordBatch batch) {
        for (int i = 0; i < batch.size && !stopped; i++) {
            byte[] frame = batch.frames[i];
            try {
                boolean snapped = frame.length < batch.originalLengths[i];
                batch.decoded[i] = LinkLayer.decode(linkType, frame, frame.length, snapped);
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

    /** The next batch, waiting for the pump if needed. */
    RecordBatch take() {
        try {
            return ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            RecordBatch interrupted = new RecordBatch(0);
            interrupted.last = true;
            interrupted.error = new CaptureException(name + ": reading interrupted", count);
            return interrupted;
        }
    }

    /** Stops reading and waits (briefly) for the thread to leave libpcap. */
    void stop() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
