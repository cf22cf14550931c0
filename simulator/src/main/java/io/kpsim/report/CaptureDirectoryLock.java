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
import java.util.stream.Stream;

/**
 * One run's exclusive claim on a {@code --pcap} directory, so two runs writing the same directory
 * can never interleave their records in one file: the second is refused, told which process holds
 * the directory.
 *
 * <p>The claim is a POSIX record lock ({@code fcntl(F_SETLK)}, through {@link FileChannel#tryLock()})
 * on {@value #FILE} in the directory, into which the owner writes its pid. The kernel drops the
 * lock when its process dies, however it dies, so a killed run never leaves the directory locked
 * (its file is reused). A run that ends removes the file, then releases the lock.
 *
 * <p>Two POSIX details shape the code. Closing any descriptor of a file drops every lock the
 * process holds on it, so the owner never opens the file a second time, and a second claim from
 * the same process is refused before any descriptor is opened, from the kernel's list of the
 * process's locks ({@link ProcessLocks}, {@code /proc/locks}): the kernel is the one record of
 * who holds what, and claims within the process are serialized ({@code synchronized} on this
 * class) so that two cannot both find the file free. And a run that
 * opened the file just before its owner removed it would lock a name no longer in the directory
 * while a third run creates and locks a new one; so after locking, a run checks in
 * {@code /proc/self/fd} that its descriptor still names the file (a removed one reads
 * {@code "... (deleted)"}) and starts again if not. Where there is no {@code /proc}, the file is
 * never removed, and that race cannot arise; there, too, a second claim from the same process
 * cannot be seen before the file is opened: the JDK refuses it ({@link
 * OverlappingFileLockException}) but closing that descriptor drops the first claim's lock. kpsim's
 * commands make one claim per process, so this matters only where {@code /proc} is missing.
 */
final class CaptureDirectoryLock implements AutoCloseable {

    /** The lock file's name: hidden, so a plain {@code ls} shows only the captures. */
    static final String FILE = ".kpsim-pcap.lock";

    /** Reads of a lock file whose holder has not written its pid yet, before "unknown". */
    private static final int ATTEMPTS = 20;

    private static final long RETRY_MILLIS = 25;
    private static final Path OWN_DESCRIPTORS = Path.of("/proc/self/fd");

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean removable;
    private boolean released;

    private CaptureDirectoryLock(Path file, FileChannel channel, FileLock lock, boolean removable) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.removable = removable;
    }

    /**
     * Claims {@code dir}, which must exist.
     *
     * @throws CaptureException when another process, or this one, holds it (naming the pid), or
     *         when the directory cannot be written (naming the directory and the system's reason)
     */
    static synchronized CaptureDirectoryLock acquire(Path dir) {
        long pid = ProcessHandle.current().pid();
        Path file;
        try {
            file = dir.toRealPath().resolve(FILE);
        } catch (IOException e) {
            throw unusable(dir, e);
        }
        if (ProcessLocks.holds(pid, file)) {
            throw held(dir, pid + ", this process");
        }
        return claim(dir, file, pid);
    }

    private static CaptureDirectoryLock claim(Path dir, Path file, long pid) {
        boolean procfs = Files.isDirectory(OWN_DESCRIPTORS);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            FileChannel channel = open(dir, file);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                closeQuietly(channel);
                throw held(dir, pid + ", this process");
            } catch (IOException e) {
                closeQuietly(channel);
                throw unusable(dir, e);
            }
            if (lock == null) {
                closeQuietly(channel);
                String holder = holder(file);
                if (holder.isEmpty() && attempt < ATTEMPTS) {
                    pause(); // the holder has not written its pid yet, or has just removed the file
                    continue;
                }
                throw held(dir, holder.isEmpty() ? "unknown" : holder);
            }
            if (procfs && !stillNamed(file)) {
                closeQuietly(channel); // its owner removed it while we locked it: start again
                continue;
            }
            try {
                channel.truncate(0);
                channel.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                return new CaptureDirectoryLock(file, channel, lock, procfs);
            } catch (IOException e) {
                closeQuietly(channel);
                throw unusable(dir, e);
            }
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

    /** Whether one of this process's descriptors names {@code file} (not {@code "file (deleted)"}). */
    private static boolean stillNamed(Path file) {
        String name = file.toString();
        try (Stream<Path> descriptors = Files.list(OWN_DESCRIPTORS)) {
            return descriptors.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(name); // readlink(2): no open
                } catch (IOException | UnsupportedOperationException e) {
                    return false; // closed meanwhile (the listing's own descriptor, for one)
                }
            });
        } catch (IOException e) {
            return true; // cannot tell: the file is then never removed, so it is still named
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

    /** The holder's pid as it wrote it (read only by a process that does not hold the lock). */
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

    /** Removes the lock file (where {@code /proc} makes that safe), then releases the lock. */
    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        if (removable) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // then it stays; the next run locks and reuses it
            }
        }
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }
}
