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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One run's exclusive claim on a {@code --pcap} directory, so two runs writing the same directory
 * can never interleave their records in one file: the second is refused, told which process holds
 * the directory.
 *
 * <p>The claim is a POSIX record lock ({@code fcntl(F_SETLK)}, through {@link FileChannel#tryLock()})
 * on {@value #FILE} in the directory, which holds the owner's pid. The kernel drops the lock when
 * its process dies, however it dies, so a killed run never leaves the directory locked; the file
 * it leaves is reused. The owner deletes the file when it is done, before releasing the lock; a
 * run that locked the file in the moment between would hold a lock on a name no longer in the
 * directory, so after locking each run writes a token into its file and reads it back by name, and
 * starts again if the name now leads elsewhere.
 */
final class CaptureDirectoryLock implements AutoCloseable {

    /** The lock file's name: hidden, so a plain {@code ls} shows only the captures. */
    static final String FILE = ".kpsim-pcap.lock";

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
        String token = pid + "\n" + System.nanoTime() + "\n";
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            FileChannel channel = open(dir, file);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                closeQuietly(channel);
                throw held(dir, Long.toString(pid) + ", this process");
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
                channel.write(ByteBuffer.wrap(token.getBytes(StandardCharsets.US_ASCII)), 0);
                if (token.equals(contents(file))) {
                    return new CaptureDirectoryLock(file, channel, lock);
                }
            } catch (IOException e) {
                closeQuietly(channel);
                throw unusable(dir, e);
            }
            closeQuietly(channel); // the previous owner removed this file while we locked it: again
        }
        throw new CaptureException(
                dir + ": cannot lock the directory for captures (" + FILE + " keeps changing)", null);
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

    private static String holder(Path file) {
        String text = contents(file);
        List<String> lines = text == null ? List.of() : text.lines().toList();
        return lines.isEmpty() ? "" : lines.get(0).trim();
    }

    private static String contents(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return null;
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

    /** Removes the lock file, then releases the lock. */
    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stale lock file is harmless: the next run locks and reuses it
        }
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }
}
