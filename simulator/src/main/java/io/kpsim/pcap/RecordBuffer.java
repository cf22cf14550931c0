package io.kpsim.pcap;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A capture file's records on their way out: records are laid out one after another in one array,
 * record header and frame encoded in place (no copy per record), and the array goes to the file in
 * one large write whenever the next record might not fit, and at {@link #close()}: in whole blocks
 * past the page cache where the file system allows it ({@link BlockFile}; the part block after
 * them stays at the array's start and goes with the next write), the array growing to
 * {@value #LARGEST_SIZE} bytes as a long run keeps writing. A record
 * is only counted in once it is whole ({@link #commit}), so whatever fails while a record is being
 * encoded leaves the buffer as it was, and the file holds whole records once closed (between two
 * writes past the page cache its end may be the first part of a record whose rest is still in the
 * array; a capture is only given its name once closed).
 *
 * <p>The record header is libpcap's {@code struct pcap_sf_pkthdr} in the writing host's byte order,
 * as {@code pcap_dump()} writes it: seconds, nanoseconds (the file's magic says nanoseconds),
 * captured length, original length.
 */
final class RecordBuffer {

    /** Bytes of a record header. */
    static final int HEADER = 16;
    /** The array's size to start with, unless one record needs more. */
    static final int DEFAULT_SIZE = 1 << 16;
    /**
     * The size the array grows to, doubling at each write past the page cache: large writes, and a
     * run of twenty captures still holds no more than 20 MiB in them (this array and its direct copy).
     */
    static final int LARGEST_SIZE = BlockFile.LARGEST_WRITE;

    private static final VarHandle NATIVE_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final BlockFile file;
    private byte[] buffer;
    private int position;

    private RecordBuffer(BlockFile file, byte[] buffer, int position) {
        this.file = file;
        this.buffer = buffer;
        this.position = position;
    }

    /** Opens {@code file}, whose pcap file header is already written, to append records to it. */
    static RecordBuffer append(Path file, int size) throws IOException {
        return append(file, size, true);
    }

    /**
     * As {@link #append(Path, int)}; {@code direct} says whether to try writing past the page
     * cache (a test compares both ways).
     */
    static RecordBuffer append(Path file, int size, boolean direct) throws IOException {
        byte[] buffer = new byte[size];
        BlockFile f = BlockFile.open(file, direct, buffer);
        return new RecordBuffer(f, buffer, f.headLength());
    }

    /** The array records are encoded into, valid until the next {@link #reserve}. */
    byte[] array() {
        return buffer;
    }

    /**
     * Makes room for a record of up to {@code bytes} bytes (its header included), writing out the
     * records before it when they leave too little; returns where the record starts.
     */
    int reserve(int bytes) throws IOException {
        if (buffer.length - position < bytes) {
            flush();
            if (buffer.length - position < bytes) {
                buffer = Arrays.copyOf(buffer, position + bytes);
            }
        }
        return position;
    }

    /**
     * Writes the header of the record at {@code at} (from {@link #reserve}) whose frame follows
     * it, and counts the record in: {@code captured} bytes of a {@code length}-byte frame.
     */
    void commit(int at, long timestampNanos, int captured, int length) {
        NATIVE_INT.set(buffer, at, (int) (timestampNanos / 1_000_000_000L));
        NATIVE_INT.set(buffer, at + 4, (int) (timestampNanos % 1_000_000_000L));
        NATIVE_INT.set(buffer, at + 8, captured);
        NATIVE_INT.set(buffer, at + 12, length);
        position = at + HEADER + captured;
    }

    /** Writes the whole records held to the file (past the page cache: all but the last part block). */
    void flush() throws IOException {
        int written = file.write(buffer, position);
        int rest = position - written;
        if (file.direct() && buffer.length < LARGEST_SIZE) {
            byte[] larger = new byte[Math.min(LARGEST_SIZE, 2 * buffer.length)];
            System.arraycopy(buffer, written, larger, 0, rest);
            buffer = larger;
        } else {
            System.arraycopy(buffer, written, buffer, 0, rest);
        }
        position = rest;
    }

    /** Writes the records held, then closes the file (also when they could not be written). */
    void close() throws IOException {
        file.finish(buffer, position);
    }
}
