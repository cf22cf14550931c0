package io.kpsim.pcap;

import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpSegment;
import java.io.IOException;
import java.nio.file.Path;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * Writes a pcap file that tcpdump and Wireshark open, with nanosecond timestamps (magic
 * {@code 0xa1b23c4d}), so the simulator's nanosecond clock survives the trip. The file header is
 * libpcap's own ({@code pcap_open_dead_with_tstamp_precision()} + {@code pcap_dump_open()}, which
 * also proves libpcap is usable); the records follow in the same format libpcap's
 * {@code pcap_dump()} writes (host byte order: seconds, nanoseconds, captured length, original
 * length), written here because pcap4j cannot pass a captured length shorter than the frame.
 *
 * <p>A snap length cuts every frame to its first bytes and keeps the original length in the
 * record header, as {@code tcpdump -s N} does: headers are what a trace of this failure needs,
 * and the payload bytes of a simulated packet are zeros anyway.
 *
 * <p>Packets are framed by {@link LinkLayer} (Ethernet by default, with MACs derived from the IP
 * addresses) and encoded by {@link Ipv4Encoder}; already-built frames can be written as they are.
 * A run writes millions of records, so each one costs little: TCP segments are encoded straight
 * into the output buffer with their checksums summed from the field values
 * ({@link TcpFrameEncoder}), from the numbers {@link TcpHeaderWords} packs (which a caller that
 * frames on another thread hands in, {@link #writeTcp}), only the bytes the snap length keeps are
 * written, and the records go out in large writes ({@link RecordBuffer}). Other packets are
 * encoded into a reused frame and copied.
 */
public final class PcapWriter implements AutoCloseable {

    /** libpcap's {@code MAXIMUM_SNAPLEN}: no frame is cut. */
    public static final int SNAP_LENGTH = 262_144;
    /** {@code tcpdump -s 0}: whole frames, up to {@link #SNAP_LENGTH}. */
    public static final int WHOLE_FRAMES = 0;

    private final String name;
    private final LinkType linkType;
    private final int snapLength;
    private final RecordBuffer out;
    /** The payload filler as far as a record keeps it: {@link Ipv4Encoder#FILLER}, repeated. */
    private final byte[] filler;
    /** The frame of a packet other than TCP, reused from one record to the next. */
    private byte[] frame = new byte[2048];
    /** A TCP packet's fields ({@link TcpHeaderWords}), reused from one record to the next. */
    private final long[] words = new long[TcpHeaderWords.MAX_WORDS];

    private long count;
    private boolean closed;

    private PcapWriter(String name, LinkType linkType, int snapLength, RecordBuffer out) {
        this.name = name;
        this.linkType = linkType;
        this.snapLength = snapLength;
        this.out = out;
        this.filler = new byte[Math.min(snapLength, Ipv4Encoder.MAX_DATAGRAM)];
        for (int i = 0; i < filler.length; i += Ipv4Encoder.FILLER.length) {
            System.arraycopy(Ipv4Encoder.FILLER, 0, filler, i, Math.min(Ipv4Encoder.FILLER.length, filler.length - i));
        }
    }

    /** Creates (or replaces) an Ethernet pcap file of whole frames. */
    public static PcapWriter create(Path file) {
        return create(file, LinkType.ETHERNET);
    }

    /** Creates (or replaces) a pcap file of whole frames of the given link type. */
    public static PcapWriter create(Path file, LinkType linkType) {
        return create(file, linkType, WHOLE_FRAMES);
    }

    /**
     * Creates (or replaces) a pcap file of the given link type whose records keep at most
     * {@code snapLength} bytes of each frame.
     *
     * @param snapLength 1..{@link #SNAP_LENGTH} bytes per record, or {@link #WHOLE_FRAMES}
     * @throws IllegalArgumentException when the snap length is out of range
     * @throws CaptureException when the file cannot be created
     */
    public static PcapWriter create(Path file, LinkType linkType, int snapLength) {
        if (snapLength < 0 || snapLength > SNAP_LENGTH) {
            throw new IllegalArgumentException(
                    "snap length " + snapLength + " is not in 0.." + SNAP_LENGTH + " (0: whole frames)");
        }
        int snap = snapLength == WHOLE_FRAMES ? SNAP_LENGTH : snapLength;
        String name = file.toString();
        PcapHandle handle = null;
        try {
            handle = Pcaps.openDead(DataLinkType.getInstance(linkType.dlt()), snap, PcapHandle.TimestampPrecision.NANO);
            PcapDumper dumper = handle.dumpOpen(name);
            dumper.close();
        } catch (PcapNativeException e) {
            String m = e.getMessage() == null ? "unknown error" : e.getMessage();
            if (LibpcapErrors.isLibraryMissing(m)) {
                throw new CaptureException(LibpcapErrors.libraryMissing(name), -1, e);
            }
            int colon = m.lastIndexOf(": ");
            throw new CaptureException(
                    name + ": cannot create (" + (colon >= 0 ? m.substring(colon + 2) : m) + ")", -1, e);
        } catch (NotOpenException e) {
            throw new IllegalStateException("pcap handle closed while opening " + name, e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new CaptureException(LibpcapErrors.libraryMissing(name), -1, e);
        } finally {
            if (handle != null) {
                handle.close();
            }
        }
        try {
            int size = Math.max(
                    RecordBuffer.DEFAULT_SIZE,
                    RecordBuffer.HEADER + Math.min(snap, linkType.headerLength() + Ipv4Encoder.MAX_DATAGRAM));
            return new PcapWriter(name, linkType, snap, RecordBuffer.append(file, size));
        } catch (IOException e) {
            throw new CaptureException(name + ": cannot append records (" + reason(e) + ")", -1, e);
        }
    }

    /**
     * Checks that libpcap can write capture files, before any file or directory is made.
     *
     * @throws CaptureException saying that libpcap is missing or too old, and which package provides it
     */
    public static void requireLibpcap() {
        PcapHandle handle = null;
        try {
            handle = Pcaps.openDead(DataLinkType.EN10MB, SNAP_LENGTH, PcapHandle.TimestampPrecision.NANO);
        } catch (PcapNativeException e) {
            if (LibpcapErrors.isLibraryMissing(e.getMessage())) {
                throw new CaptureException(LibpcapErrors.unusable(), -1, e);
            }
            throw new CaptureException("libpcap cannot write captures: " + e.getMessage(), -1, e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new CaptureException(LibpcapErrors.unusable(), -1, e);
        } finally {
            if (handle != null) {
                handle.close();
            }
        }
    }

    /** What the operating system said ({@code No space left on device}), without the path Java repeats. */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The file's link type. */
    public LinkType linkType() {
        return linkType;
    }

    /** The most bytes of a frame a record keeps ({@link #SNAP_LENGTH} for whole frames). */
    public int snapLength() {
        return snapLength;
    }

    /** Records written so far. */
    public long count() {
        return count;
    }

    /**
     * Writes {@code packet} framed for this file's link type.
     *
     * @param timestampNanos nanoseconds since the Unix epoch (simulated time 0 is 1970-01-01)
     * @throws IllegalArgumentException when the timestamp is negative or the packet cannot be encoded
     */
    public void write(long timestampNanos, Packet packet) {
        if (packet.transport() instanceof TcpSegment segment) {
            TcpHeaderWords.put(words, 0, packet, segment);
            writeTcp(timestampNanos, words, 0);
            return;
        }
        int length = LinkLayer.frameLength(linkType, packet);
        if (frame.length < length) {
            frame = new byte[Math.max(length, frame.length * 2)];
        }
        LinkLayer.encode(linkType, packet, frame, snapLength);
        writeRecord(timestampNanos, frame, length);
    }

    /**
     * Writes the TCP packet {@link TcpHeaderWords#put} packed at {@code w[at]}, framed for this
     * file's link type: the same record as {@link #write(long, Packet)} of that packet.
     *
     * @param timestampNanos nanoseconds since the Unix epoch (simulated time 0 is 1970-01-01)
     * @throws IllegalArgumentException when the timestamp is negative
     * @throws IllegalStateException after {@link #close()}
     * @throws CaptureException naming the file when it cannot be written (e.g. the disk is full)
     */
    public void writeTcp(long timestampNanos, long[] w, int at) {
        checkWritable(timestampNanos);
        int length = linkType.headerLength() + TcpHeaderWords.totalLength(w, at);
        int captured = Math.min(length, snapLength);
        int record = reserve(RecordBuffer.HEADER + Math.max(captured, TcpFrameEncoder.MAX_HEADERS));
        TcpFrameEncoder.encode(linkType, w, at, out.array(), record + RecordBuffer.HEADER, snapLength, filler);
        out.commit(record, timestampNanos, captured, length);
        count++;
    }

    /**
     * Writes an already-framed record, cut to the snap length.
     *
     * @throws IllegalArgumentException when the timestamp is negative
     * @throws IllegalStateException after {@link #close()}
     * @throws CaptureException naming the file when it cannot be written (e.g. the disk is full)
     */
    public void writeFrame(long timestampNanos, byte[] frame) {
        writeRecord(timestampNanos, frame, frame.length);
    }

    /** Writes the first {@code length} bytes of {@code bytes} as one frame, cut to the snap length. */
    private void writeRecord(long timestampNanos, byte[] bytes, int length) {
        checkWritable(timestampNanos);
        int captured = Math.min(length, snapLength);
        int at = reserve(RecordBuffer.HEADER + captured);
        System.arraycopy(bytes, 0, out.array(), at + RecordBuffer.HEADER, captured);
        out.commit(at, timestampNanos, captured, length);
        count++;
    }

    private void checkWritable(long timestampNanos) {
        if (timestampNanos < 0) {
            throw new IllegalArgumentException(name + ": negative timestamp " + timestampNanos + " ns");
        }
        if (closed) {
            throw new IllegalStateException(name + ": writer is closed");
        }
    }

    /** Room for the next record in the output buffer, whose earlier records may go to the file first. */
    private int reserve(int bytes) {
        try {
            return out.reserve(bytes);
        } catch (IOException e) {
            throw new CaptureException(name + ": cannot write record " + count + " (" + reason(e) + ")", -1, e);
        }
    }

    /**
     * Flushes and closes the file; every record written is then in it whole.
     *
     * @throws CaptureException naming the file when the last records cannot be written (the file
     *         is closed anyway)
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new CaptureException(name + ": cannot write its last records (" + reason(e) + ")", -1, e);
        }
    }
}
