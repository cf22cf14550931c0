package io.kpsim.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A window onto a file read front to back in large reads: the bytes at the current position are
 * in {@link #buffer}, at least as many as the last {@link #ensure} asked for.
 *
 * <p>Why: records are 16 to a few hundred thousand bytes; reading a megabyte at a time and parsing
 * in the buffer costs one system call per thousands of records and nothing per record. The buffer
 * is direct: a channel reads into a heap buffer through a temporary direct one and copies it, a
 * second pass over every byte of the file (src/docs/benchmarks.md section 3, session 12).
 */
final class FileWindow implements AutoCloseable {

    private static final int READ_BYTES = 1 << 20;

    private final String name;
    private final FileChannel channel;
    private ByteBuffer buffer;
    private boolean eof;

    private FileWindow(String name, FileChannel channel) {
        this.name = name;
        this.channel = channel;
        this.buffer = ByteBuffer.allocateDirect(READ_BYTES);
        buffer.limit(0);
    }

    /**
     * Opens {@code file} for reading.
     *
     * @throws CaptureException one line when it cannot be opened
     */
    static FileWindow open(Path file, String name) {
        try {
            return new FileWindow(name, FileChannel.open(file, StandardOpenOption.READ));
        } catch (java.nio.file.AccessDeniedException e) {
            throw new CaptureException(name + ": permission denied", -1, e);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CaptureException(name + ": no such file", -1, e);
        } catch (IOException e) {
            throw new CaptureException(name + ": cannot open (" + e.getMessage() + ")", -1, e);
        }
    }

    /** The buffer; its position is the current place in the file. */
    ByteBuffer buffer() {
        return buffer;
    }

    /** Sets the byte order multi-byte reads use from now on. */
    void order(ByteOrder order) {
        buffer.order(order);
    }

    /**
     * Makes at least {@code bytes} bytes available from the current position.
     *
     * @return false when the file ends before that many
     * @throws CaptureException when reading fails
     */
    boolean ensure(int bytes) {
        if (buffer.remaining() >= bytes) {
            return true;
        }
        if (bytes > buffer.capacity()) {
            ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(bytes, buffer.capacity() * 2))
                    .order(buffer.order());
            bigger.put(buffer);
            bigger.flip();
            buffer = bigger;
        }
        buffer.compact();
        try {
            while (buffer.position() < bytes && !eof) {
                if (channel.read(buffer) < 0) {
                    eof = true;
                }
            }
        } catch (IOException e) {
            throw new CaptureException(name + ": read error: " + e.getMessage(), -1, e);
        } finally {
            buffer.flip();
        }
        return buffer.remaining() >= bytes;
    }

    /** Whether nothing is left to read. */
    boolean atEnd() {
        return !ensure(1);
    }

    /** Skips {@code bytes} already made available. */
    void skip(int bytes) {
        buffer.position(buffer.position() + bytes);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // a file opened for reading only: nothing written can be lost
        }
    }
}
