package io.kpsim.pcap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.core.RawPacketListener;

/**
 * Reads a pcap or pcapng file record by record, decoding each frame to a
 * {@link io.kpsim.packet.Packet}.
 *
 * <p>libpcap (through pcap4j) does the file format: both pcap and pcapng, either byte order,
 * microsecond or nanosecond resolution ({@code pcap_open_offline_with_tstamp_precision()} with
 * nanosecond precision, so timestamps arrive in nanoseconds whatever the file holds). kpsim takes
 * only the raw bytes and timestamp of each record, a batch per {@code pcap_dispatch()}, and decodes
 * them itself with {@link LinkLayer}; pcap4j's per-field packet objects are never built.
 *
 * <p>Streaming: records are read on demand, so a capture of any size uses constant memory. Errors
 * are {@link CaptureException}s with a one-line message naming the file and record.
 *
 * <pre>{@code
 * try (PcapReader reader = PcapReader.open(path)) {
 *     for (CaptureRecord record : reader) { ... }
 * }
 * }</pre>
 */
public final class PcapReader implements AutoCloseable, Iterable<CaptureRecord> {

    /** Records fetched per {@code pcap_dispatch()} call. */
    static final int BATCH = 1024;

    private final String name;
    private final PcapHandle handle;
    private final LinkType linkType;
    private final RawPacketListener collector = this::collect;
    private final byte[][] frames = new byte[BATCH][];
    private final long[] timestamps = new long[BATCH];
    private final int[] originalLengths = new int[BATCH];
    private int size;
    private int position;
    private CaptureException pendingError;
    private long index;
    private boolean finished;
    private CaptureRecord lookahead;

    private PcapReader(String name, PcapHandle handle, LinkType linkType) {
        this.name = name;
        this.handle = handle;
        this.linkType = linkType;
    }

    /**
     * Opens a capture file.
     *
     * @throws CaptureException when the file is missing, unreadable, not a capture, or of a link
     *         type kpsim does not read
     */
    public static PcapReader open(Path file) {
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
            throw new CaptureException(name + ": unsupported link type " + dlt + " ("
                    + LibpcapErrors.linkTypeName(dlt) + "); kpsim reads Ethernet, raw IPv4, Linux cooked v1/v2", -1);
        }
        return new PcapReader(name, handle, type);
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
        while (position == size) {
            if (pendingError != null) {
                CaptureException error = pendingError;
                pendingError = null;
                finished = true;
                throw error;
            }
            if (finished) {
                return null;
            }
            fill();
        }
        int i = position++;
        byte[] frame = frames[i];
        frames[i] = null;
        boolean snapped = frame.length < originalLengths[i];
        DecodedPacket decoded = LinkLayer.decode(linkType, frame, frame.length, snapped);
        return new CaptureRecord(index++, timestamps[i], frame, originalLengths[i], decoded);
    }

    /**
     * Reads up to {@link #BATCH} records with one {@code pcap_dispatch()}: pcap4j's per-call JNA cost
     * ({@code pcap_next_ex()} allocates native memory for two pointers each time) made single reads
     * three times slower. An error is kept until the records read before it are handed out.
     */
    private void fill() {
        size = 0;
        position = 0;
        try {
            if (handle.dispatch(BATCH, collector) == 0) {
                finished = true; // a savefile's pcap_dispatch() returns 0 only at the end of the file
            }
        } catch (PcapNativeException e) {
            pendingError = new CaptureException(LibpcapErrors.recordFailed(name, index + size, e.getMessage()),
                    index + size, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pendingError = new CaptureException(name + ": reading interrupted at record " + (index + size),
                    index + size, e);
        } catch (NotOpenException e) {
            throw new IllegalStateException(name + ": reader is closed", e);
        }
    }

    /** pcap4j calls this for each record inside {@code pcap_dispatch()}; it must not throw (pcap4j
     * would log and drop the exception), so it only stores. */
    private void collect(byte[] frame) {
        Timestamp ts = handle.getTimestamp();
        frames[size] = frame;
        timestamps[size] = Math.floorDiv(ts.getTime(), 1000L) * 1_000_000_000L + ts.getNanos();
        originalLengths[size] = handle.getOriginalLength();
        size++;
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

    /** Closes the file. */
    @Override
    public void close() {
        handle.close();
    }
}
