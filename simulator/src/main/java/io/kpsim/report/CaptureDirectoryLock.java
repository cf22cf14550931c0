package io.kpsim.report;

import io.kpsim.pcap.CaptureException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One run's exclusive claim on a {@code --pcap} directory, so two runs writing the same directory
 * can never interleave their records in one file: the second is refused, told which process holds
 * the directory.
 *
 * <p>The claim is a POSIX record lock ({@code fcntl(F_SETLK)}, through {@link FileChannel#tryLock()})
 * on {@value #FILE} in the directory, into which the owner writes its pid. The kernel drops the
 * lock when its process dies, however it dies, so a killed run never leaves the directory locked.
 *
 * <p>The file stays when the run is done, as {@code dpkg}'s lock and {@code flock(1)}'s lock files
 * do: deleting it would let a run that opened it just before lock a name no longer in the
 * directory while a third run creates and locks a new one. And the owner never opens the file a
 * second time: closing any descriptor of a file drops every POSIX lock the process holds on it.
 */
final class CaptureDirectoryLock implements AutoCloseable {

    /** The lock file's name: hidden, so a plain {@code ls} shows only the captures. */
    static final String FILE = ".kpsim-pcap.lock";

    /** Reads of a lock file whose holder has not written its pid yet, before "unknown". */
    private static final int ATTEMPTS = 20;

    private static final long RETRY_MILLIS = 25;

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean released;

    private CaptureDirectoryLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Claims {@code dir}, which must exist.
     *
     * @throws CaptureException when another process holds it (naming its pid), or when the
     *         directory cannot be written (naming the directory and the system's reason)
     */
    static CaptureDirectoryLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        long pid = ProcessHandle.current().pid();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            FileChannel channel = open(dir, file);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                closeQuietly(channel); // this JVM holds it already (closing this channel drops nothing of it)
                throw held(dir, pid + ", this process");
            } catch (IOException e) {
                closeQuietly(channel);
                throw unusable(dir, e);
            }
            if (lock == null) {
                closeQuietly(channel);
                String holder = holder(file);
                if (holder.isEmpty() && attempt < ATTEMPTS) {
                    pause(); // the holder has locked the file but not yet written its pid
                    continue;
                }
                throw held(dir, holder.isEmpty() ? "unknown" : holder);
            }
            try {
                channel.truncate(0);
                channel.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                return new CaptureDirectoryLock(file, channel, lock);
            } catch (IOException e) {
                closeQuietly(channel);
                throw unusable(dir, e);
            }
        }
        throw new IllegalStateException("unreachable: the last attempt returns or throws");
    }

    private static FileChannel open(Path dir, Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw unusable(dir, e);
        }
    }

    private static CaptureException held(Path dir, String pid) {
        return new CaptureException(
                dir + ": another kpsim run (pid " + pid + ") is writing captures into this directory;"
                        + " wait for it to finish or choose another --pcap directory",
                null);
    }

    private static CaptureException unusable(Path dir, IOException e) {
        return new CaptureException(dir + ": cannot write captures into this directory (" + reason(e) + ")", e);
    }

    /** What the system said, e.g. {@code Read-only file system}, without the path Java repeats. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The holder's pid as it wrote it (read by a process that does not hold the lock). */
    private static String holder(Path file) {
        try {
            List<String> lines =
                    Files.readString(file, StandardCharsets.US_ASCII).lines().toList();
            return lines.isEmpty() ? "" : lines.get(0).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing was written through it that matters
        }
    }

    /**
     * Releases the claim; the file stays for the next run ({@link #FILE}), unless
     * {@code removeFile}: for a directory this run created and now removes because it failed.
     */
    void release(boolean removeFile) {
        if (released) {
            return;
        }
        released = true;
        if (removeFile) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // then the directory stays too, with only this file in it
            }
        }
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    /** Releases the claim and keeps the file. */
    @Override
    public void close() {
        release(false);
    }
}
