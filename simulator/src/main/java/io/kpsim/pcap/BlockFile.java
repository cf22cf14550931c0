package io.kpsim.pcap;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A capture file appended to in whole blocks past the page cache ({@code O_DIRECT}), where the
 * file system allows it. A long run writes gigabytes of records that nobody reads back during the
 * run; through the page cache, each new page of a file is allocated, filled by the kernel's copy
 * ({@code copy_folio_from_iter_atomic}) and written back later, which cost a 1,000-download run
 * 1.6 to 6 s of system time, more than the encoding (src/docs/benchmarks.md, section 8, "Session
 * 11"). A direct write hands the blocks to the device from a reused buffer instead, on a thread
 * of the file's own ({@code kpsim-pcap-writer}), so that the run goes on while the device takes
 * them: the owner fills its array with the next records while one write is under way. A failed
 * write is found, and written again through the page cache, before the next one starts and at
 * {@link #finish}. When a write is still under way as the next one is due, the device is slower
 * than the run (a busy or slow disk), and the rest of the file goes through the page cache, which
 * does not make the run wait for the device; those writes leave from the same thread and buffer,
 * so the run's thread does not make the kernel's copy either (in session 11's and 12's profiles
 * under load, that copy into new page-cache pages was the run's largest single cost).
 *
 * <p>Direct writes must start at a block boundary of the file and cover whole blocks, so the
 * owner keeps the bytes after the last whole block ({@link #write} says how many it wrote) and
 * hands them in again with the next ones; {@link #finish} writes the last part block through the
 * page cache. Whatever the file system refuses (no {@code O_DIRECT}, as on some network or
 * stacked file systems, or a direct write that fails or falls short) is written through the page
 * cache from then on; an error of that write is the file's error. The bytes in the file are the
 * same either way.
 */
final class BlockFile implements AutoCloseable {

    /**
     * The alignment of direct writes: the page size, a multiple of every disk's logical block. Not
     * asked of the file system ({@code FileStore.getBlockSize()} reads the mount table, for each
     * file): where the file system wants more, the JDK refuses the first direct write and the file
     * is written through the page cache.
     */
    static final int BLOCK = 4096;
    /** The largest direct write (512 KiB): one copy into the direct buffer and one {@code pwrite(2)} each. */
    static final int LARGEST_WRITE = 1 << 19;

    private final Path path;
    private FileChannel channel;
    /** The file system's block size while writing past the page cache, 0 once writing through it. */
    private int block;
    /** The direct buffer, aligned to the block size, that direct writes leave from. */
    private ByteBuffer staging;
    /** The thread that makes the direct writes, started with the first one. */
    private ExecutorService writer;
    /** The direct write under way, its buffer and where it goes, or {@code null}. */
    private Future<Integer> pending;

    private ByteBuffer pendingBytes;
    private long pendingAt;
    /** Where in the file the next bytes go. */
    private long position;
    /** The bytes {@link #open} copied into its {@code head} array. */
    private int headLength;

    private BlockFile(Path path, FileChannel channel, int block, long position) {
        this.path = path;
        this.channel = channel;
        this.block = block;
        this.position = position;
    }

    /**
     * Opens {@code file} to append to it and copies its bytes after the last whole block into
     * {@code head}, to be handed back first to {@link #write}; returns the file and, through
     * {@link #headLength()}, how many bytes that was.
     *
     * @param direct whether to try writing past the page cache
     */
    static BlockFile open(Path file, boolean direct, byte[] head) throws IOException {
        long size = Files.size(file);
        if (direct) {
            int block = BLOCK;
            if (size % block < head.length) {
                FileChannel channel;
                try {
                    channel = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
                } catch (IOException | UnsupportedOperationException e) {
                    channel = null; // no O_DIRECT here: through the page cache
                }
                if (channel != null) {
                    long start = size - size % block;
                    BlockFile f = new BlockFile(file, channel, block, start);
                    f.headLength = readAt(file, start, head, (int) (size - start));
                    return f;
                }
            }
        }
        return new BlockFile(file, FileChannel.open(file, StandardOpenOption.WRITE), 0, size);
    }

    /** The bytes {@link #open} copied into its {@code head} array. */
    int headLength() {
        return headLength;
    }

    private static int readAt(Path file, long at, byte[] into, int length) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.wrap(into, 0, length);
            while (b.hasRemaining()) {
                if (in.read(b, at + b.position()) < 0) {
                    throw new IOException("the file shrank while it was opened");
                }
            }
        }
        return length;
    }

    /** Whether writes still go past the page cache. */
    boolean direct() {
        return block > 0;
    }

    /**
     * Appends the first {@code length} bytes of {@code bytes}, or as many whole blocks of them as a
     * direct write can take; returns how many were written (the rest is the caller's to hand in
     * again, first, with the next bytes).
     */
    int write(byte[] bytes, int length) throws IOException {
        if (block == 0) {
            writeBehindCache(bytes, 0, length);
            return length;
        }
        int whole = length - length % block;
        int done = 0;
        while (done < whole && block > 0) {
            int n = Math.min(whole - done, LARGEST_WRITE);
            done += writeDirect(bytes, done, n);
        }
        if (done < whole) { // fell back to the page cache on the way: write the rest that way
            writeBehindCache(bytes, done, length - done);
            return length;
        }
        return whole;
    }

    /**
     * Appends {@code n} bytes through the page cache: from the writer thread, as the direct writes
     * went, when the file turned to the page cache on the way (the run does not wait for the
     * kernel's copy, 0.5 to 6 s of system time for a 1,000-download run's 1.85 GB on this VM); on
     * the owner's thread when it never wrote past the page cache (a file system without
     * {@code O_DIRECT}, such as tmpfs).
     */
    private void writeBehindCache(byte[] bytes, int from, int n) throws IOException {
        if (writer == null) {
            writeThroughCache(bytes, from, n);
            return;
        }
        for (int done = 0; done < n; ) {
            int chunk = Math.min(n - done, LARGEST_WRITE);
            awaitPending(); // a write through the page cache does not wait for the device: wait for it
            submit(bytes, from + done, chunk);
            done += chunk;
        }
    }

    /** Appends the last {@code length} bytes of the file, any length, and closes it. */
    void finish(byte[] bytes, int length) throws IOException {
        try {
            int done = write(bytes, length);
            awaitPending();
            if (done < length) {
                toPageCache();
                writeThroughCache(bytes, done, length - done);
            }
        } finally {
            close();
        }
    }

    /**
     * Starts writing {@code n} bytes (whole blocks) past the page cache, after the write before it
     * is done; returns {@code n}, or what went when the write before it failed and everything
     * now goes through the page cache.
     */
    private int writeDirect(byte[] bytes, int from, int n) throws IOException {
        boolean stalled = pending != null && !pending.isDone();
        awaitPending();
        if (stalled) {
            // the device is slower than the run fills the array (a busy or slow disk): rather than
            // wait for it at every write, the page cache takes the rest and writes it back later
            toPageCache();
        }
        if (block == 0) {
            return 0;
        }
        submit(bytes, from, n);
        return n;
    }

    /**
     * Starts writing {@code n} bytes, at most {@link #LARGEST_WRITE}, at the file's end on the
     * writer thread, through the file's channel as it is (past the page cache or through it), the
     * write before it already awaited.
     */
    private void submit(byte[] bytes, int from, int n) {
        if (staging == null || staging.capacity() < n) {
            int size = Math.min(LARGEST_WRITE, Math.max(n, staging == null ? 0 : 2 * staging.capacity()));
            size = (size + BLOCK - 1) / BLOCK * BLOCK; // the aligned slice keeps whole blocks
            staging = ByteBuffer.allocateDirect(size + BLOCK).alignedSlice(BLOCK);
        }
        ByteBuffer s = staging;
        s.clear();
        s.put(bytes, from, n).flip();
        if (writer == null) {
            writer = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "kpsim-pcap-writer");
                t.setDaemon(true);
                return t;
            });
        }
        long at = position;
        FileChannel c = channel;
        pendingBytes = s;
        pendingAt = at;
        // s stays as it is until this write is awaited; a direct write is one call (one that falls
        // short is done again through the page cache), a write through the page cache goes on
        pending = block > 0 ? writer.submit(() -> c.write(s, at)) : writer.submit(() -> writeAll(c, s, at));
        position += n;
    }

    /** Writes all of {@code s} at {@code at} through the page cache; returns how many bytes that was. */
    private static int writeAll(FileChannel c, ByteBuffer s, long at) throws IOException {
        int n = 0;
        while (s.hasRemaining()) {
            n += c.write(s, at + n);
        }
        return n;
    }

    /**
     * Waits for the direct write under way; when it failed or fell short, writes its bytes again
     * through the page cache, from then on the only way (whose error is then the file's).
     */
    private void awaitPending() throws IOException {
        if (pending == null) {
            return;
        }
        Future<Integer> p = pending;
        pending = null;
        if (!succeeded(p, pendingBytes.limit())) {
            toPageCache();
            pendingBytes.rewind();
            writeAll(channel, pendingBytes, pendingAt);
        }
    }

    /** Whether the write {@code p} wrote all its {@code n} bytes; waits for it, not to be interrupted. */
    private static boolean succeeded(Future<Integer> p, int n) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return p.get() == n;
                } catch (ExecutionException e) {
                    return false; // the page cache's write says whether it was the file system or the file
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** From now on, writes go through the page cache (after the direct write under way). */
    void toPageCache() throws IOException {
        awaitPending();
        if (block == 0) {
            return;
        }
        block = 0;
        FileChannel old = channel;
        channel = FileChannel.open(path, StandardOpenOption.WRITE);
        old.close();
    }

    private void writeThroughCache(byte[] bytes, int from, int n) throws IOException {
        position += writeAll(channel, ByteBuffer.wrap(bytes, from, n), position);
    }

    /** Closes the file without writing anything more (after the write under way, if any). */
    @Override
    public void close() throws IOException {
        try {
            if (writer != null) {
                writer.shutdown();
                awaitTermination();
            }
        } finally {
            channel.close();
        }
    }

    private void awaitTermination() {
        boolean interrupted = false;
        while (true) {
            try {
                if (writer.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
