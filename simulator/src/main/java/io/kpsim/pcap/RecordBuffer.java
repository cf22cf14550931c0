package io.kpsim.pcap;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A capture file's records on their way out: records are laid out one after another in one array,
 * record header and frame encoded in place (no copy per record), and the array goes to the file in
 * one {@code write(2)} whenever the next record might not fit, and at {@link #close()}. A record
 * is only counted in once it is whole ({@link #commit}), so whatever fails while a record is being
 * encoded leaves the buffer as it was: the file only ever receives whole records.
 *
 * <p>The record header is libpcap's {@code struct pcap_sf_pkthdr} in the writing host's byte order,
 * as {@code pcap_dump()} writes it: seconds, nanoseconds (the file's magic says nanoseconds),
 * captured length, original length.
 */
final class RecordBuffer {

    /** Bytes of a record header. */
    static final int HEADER = 16;
    /** The array's size unless one record needs more: {@code BufferedOutputStream}'s as the writer had it. */
    static final int DEFAULT_SIZE = 1 << 16;

    private static final VarHandle NATIVE_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final FileChannel channel;
    private byte[] buffer;
    private int position;

    private RecordBuffer(FileChannel channel, int size) {
        this.channel = channel;
        this.buffer = new byte[size];
    }

    /** Opens {@code file}, whose pcap file header is already written, to append records to it. */
    static RecordBuffer append(Path file, int size) throws IOException {
        return new RecordBuffer(FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND), size);
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
            if (buffer.length < bytes) {
                buffer = new byte[bytes];
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

    /** Writes the whole records held to the file. */
    void flush() throws IOException {
        ByteBuffer pending = ByteBuffer.wrap(buffer, 0, position);
        while (pending.hasRemaining()) {
            channel.write(pending);
        }
        position = 0;
    }

    /** Writes the records held, then closes the file (also when they could not be written). */
    void close() throws IOException {
        try (FileChannel c = channel) {
            flush();
        }
    }
}
