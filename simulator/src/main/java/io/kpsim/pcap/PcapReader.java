package io.kpsim.pcap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Reads a pcap or pcapng file record by record, decoding each frame to a
 * {@link io.kpsim.packet.Packet}.
 *
 * <p>Both formats are read in plain Java ({@link PcapFileSource}, {@link PcapngFileSource}):
 * either byte order, microsecond or nanosecond pcap, pcapng with any number of interfaces (each
 * with its own link type and timestamp resolution) and the per-packet {@code epb_flags} that say
 * whether the packet came in or went out. Timestamps come out in nanoseconds; each record names
 * its {@link CaptureInterface}, which keeps the precision the file had. Frames are decoded by
 * {@link LinkLayer}; checksums are summed when first asked for ({@link DecodedPacket}), or ahead
 * with {@link #open(Path, boolean)}. No native call is made per record.
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
    private final RecordSource source;
    private final CaptureInterface first;
    private final ReadAheadPump pump;
    private RecordBatch batch;
    private int position;
    private long index;
    private boolean finished;
    private CaptureRecord lookahead;

    private PcapReader(String name, RecordSource source, boolean checksumsAhead) {
        this.name = name;
        this.source = source;
        this.first = source.firstInterface();
        this.pump = new ReadAheadPump(name, source, checksumsAhead);
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
        FileWindow window = FileWindow.open(file, name);
        RecordSource source;
        try {
            if (!window.ensure(4)) {
                throw new CaptureException(name + ": not a pcap or pcapng file (file header truncated)", -1);
            }
            ByteBuffer b = window.buffer();
            int magic = b.order(ByteOrder.BIG_ENDIAN).getInt(b.position());
            if (magic == PcapngFileSource.SECTION_HEADER) {
                source = PcapngFileSource.open(name, window);
            } else if (PcapFileSource.isMagic(magic)) {
                source = PcapFileSource.open(name, window);
            } else {
                throw new CaptureException(name + ": not a pcap or pcapng file", -1);
            }
        } catch (RuntimeException e) {
            window.close();
            throw e;
        }
        return new PcapReader(name, source, checksumsAhead);
    }

    /** The link type of the file's first interface (a pcap file's only one). */
    public LinkType linkType() {
        return first.linkType();
    }

    /** The file's first capture interface (a pcap file's only one). */
    public CaptureInterface firstInterface() {
        return first;
    }

    /**
     * Whether every record comes from the one interface of {@link #firstInterface()}: true for a
     * pcap file, false for pcapng (whose later blocks may describe more interfaces).
     */
    public boolean oneInterface() {
        return source instanceof PcapFileSource;
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
        CaptureInterface iface = batch.interfaces[i];
        if (decoded == null) { // decoding threw on the pump (or the pump was stopping): throw it here
            decoded = LinkLayer.decode(iface.linkType(), frame, frame.length, originalLength);
        }
        return new CaptureRecord(index++, batch.timestamps[i], frame, originalLength, decoded, iface, batch.flags[i]);
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
        source.close();
    }
}
