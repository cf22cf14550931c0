package io.kpsim.pcap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * Reads a pcap or pcapng file record by record, decoding each frame to a
 * {@link io.kpsim.packet.Packet}.
 *
 * <p>libpcap (through pcap4j) does the file format: both pcap and pcapng, either byte order,
 * microsecond or nanosecond resolution ({@code pcap_open_offline_with_tstamp_precision()} with
 * nanosecond precision, so timestamps arrive in nanoseconds whatever the file holds). pcap4j opens
 * the file; kpsim then pulls each record's raw bytes and timestamp with {@code pcap_next_ex()} on
 * pcap4j's handle ({@link RecordCursor}, a JNA direct call instead of pcap4j's per-record callback)
 * and decodes them itself with {@link LinkLayer}; pcap4j's per-field packet objects are never built.
 * Checksums are summed when first asked for ({@link DecodedPacket}), or ahead with
 * {@link #open(Path, boolean)}.
 *
 * <p>Reading and decoding run batches ahead on a daemon thread ({@link ReadAheadPump}); records
 * come out in file order. Streaming: memory stays bounded whatever the capture's
 * size. Errors are {@link CaptureException}s with a one-line message naming the file and record;
 * records before a bad one are returned first. A record header that cannot be right is such an
 * error: an original length shorter than the bytes captured, or a timestamp whose fraction of a
 * second is not below one second. Anything else going wrong while reading ahead (a kpsim bug, the
 * heap running out) reaches the consumer as an {@link IllegalStateException} naming the file and
 * record, never as a wait that does not end. Not thread-safe: one consumer per reader.
 *
 * <pre>{@code
 * try (PcapReader reader = PcapReader.open(path)) {
 *     for (CaptureRecord record : reader) { ... }
 * }
 * }</pre>
 */
public final class PcapReader implements AutoCloseable, Iterable<CaptureRecord> {

    private final String name;
    private final PcapHandle handle;
    private final LinkType linkType;
    private final ReadAheadPump pump;
    private RecordBatch batch;
    private int position;
    private long index;
    private boolean finished;
    private CaptureRecord lookahead;

    private PcapReader(String name, PcapHandle handle, RecordCursor cursor, LinkType linkType, boolean checksumsAhead) {
        this.name = name;
        this.handle = handle;
        this.linkType = linkType;
        this.pump = new ReadAheadPump(name, handle, cursor, linkType, checksumsAhead);
        pump.start();
    }

    /**
     * Opens a capture file; checksums are summed only when asked for ({@link DecodedPacket}).
     *
     * @throws CaptureException when the file is missing, unreadable, not a capture, or of a link
     *         type kpsim does not read
     */
    public static PcapReader open(Path file) {
        return open(file, false);
    }

    /**
     * Opens a capture file.
     *
     * @param checksumsAhead whether to sum every packet's checksums on the read-ahead thread, for a
     *        caller that will ask for each of them ({@code kpsim replay --verify-checksums}); the
     *        answers are the same either way, only the thread that computes them differs
     * @throws CaptureException when the file is missing, unreadable, not a capture, or of a link
     *         type kpsim does not read
     */
    public static PcapReader open(Path file, boolean checksumsAhead) {
        String name = file.toString();
        if (!Files.exists(file)) {
            throw new CaptureException(name + ": no such file", -1);
        }
        if (Files.isDirectory(file)) {
            throw new CaptureException(name + ": is a directory", -1);
        }
        PcapHandle handle;
        try {
            handle = Pcaps.openOffline(name, PcapHandle.TimestampPrecision.NANO);
        } catch (PcapNativeException e) {
            throw new CaptureException(LibpcapErrors.openFailed(name, e.getMessage()), -1, e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new CaptureException(LibpcapErrors.libraryMissing(name), -1, e);
        }
        int dlt = handle.getDlt().value();
        LinkType type = LinkType.of(dlt);
        if (type == null) {
            handle.close();
            throw new CaptureException(
                    name + ": unsupported link type " + dlt + " (" + LibpcapErrors.linkTypeName(dlt)
                            + "); kpsim reads Ethernet, raw IPv4, Linux cooked v1/v2",
                    -1);
        }
        RecordCursor cursor;
        try {
            cursor = RecordCursor.on(handle);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            handle.close();
            throw new CaptureException(LibpcapErrors.libraryMissing(name), -1, e);
        } catch (IllegalStateException e) {
            handle.close();
            throw new CaptureException(name + ": cannot read records: " + e.getMessage(), -1, e);
        }
        return new PcapReader(name, handle, cursor, type, checksumsAhead);
    }

    /** The file's link type. */
    public LinkType linkType() {
        return linkType;
    }

    /** The file name as given to {@link #open}. */
    public String name() {
        return name;
    }

    /**
     * The next record, or {@code null} at the end of the file.
     *
     * @throws CaptureException when the record cannot be read (e.g. truncated)
     */
    public CaptureRecord next() {
        if (lookahead != null) {
            CaptureRecord record = lookahead;
            lookahead = null;
            return record;
        }
        while (batch == null || position == batch.size) {
            if (finished) {
                return null;
            }
            if (batch != null && batch.last) {
                finished = true;
                RuntimeException error = batch.error;
                batch = null;
                if (error != null) {
                    throw error;
                }
                return null;
            }
            batch = pump.take();
            position = 0;
        }
        int i = position++;
        byte[] frame = batch.frames[i];
        batch.frames[i] = null;
        int originalLength = batch.originalLengths[i];
        DecodedPacket decoded = batch.decoded[i];
        batch.decoded[i] = null;
        if (decoded == null) { // decoding threw on the pump (or the pump was stopping): throw it here
            decoded = LinkLayer.decode(linkType, frame, frame.length, originalLength);
        }
        return new CaptureRecord(index++, batch.timestamps[i], frame, originalLength, decoded);
    }

    /** Iterates over the remaining records; the reader is single-pass. */
    @Override
    public Iterator<CaptureRecord> iterator() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (lookahead == null && !finished) {
                    lookahead = PcapReader.this.next();
                }
                return lookahead != null;
            }

            @Override
            public CaptureRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException(name + ": no more records");
                }
                return PcapReader.this.next();
            }
        };
    }

    /** Stops reading ahead and closes the file. */
    @Override
    public void close() {
        finished = true;
        lookahead = null;
        batch = null;
        pump.stop();
        handle.close();
    }
}
