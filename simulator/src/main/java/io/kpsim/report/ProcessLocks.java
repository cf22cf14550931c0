package io.kpsim.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether this process holds a POSIX record lock on a file, asked of the kernel's own list in
 * {@code /proc/locks} without opening the file.
 *
 * <p>Why not open it and try: a POSIX lock ({@code fcntl(F_SETLK)}, what {@link
 * java.nio.channels.FileChannel#tryLock()} takes on Linux) belongs to the process, and closing any
 * descriptor of the file drops every lock the process holds on it. A second claim from the same
 * process that opened the file, found it locked and closed it again would silently free the first
 * claim's lock. The kernel already knows which locks the process holds, so that is the one record
 * kept (no registry in kpsim that could disagree with it).
 *
 * <p>{@code /proc/locks} lines look like {@code 1: POSIX  ADVISORY  WRITE 4242 fe:00:2154956 0 EOF}
 * (a waiter's line has {@code ->} after the number): the lock type, the pid, and the file's device
 * (major:minor in hex) and inode, as printed by {@code lock_get_status()} in the kernel's
 * {@code fs/locks.c}.
 */
final class ProcessLocks {

    static final Path PROC_LOCKS = Path.of("/proc/locks");

    private ProcessLocks() {}

    /**
     * Whether process {@code pid} holds a POSIX lock on {@code file}; false when the file does not
     * exist, and when the system cannot tell (no {@code /proc/locks}, no {@code unix:} file
     * attributes), see {@link CaptureDirectoryLock}.
     */
    static boolean holds(long pid, Path file) {
        long dev;
        long inode;
        List<String> lines;
        try {
            dev = (Long) Files.getAttribute(file, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            inode = (Long) Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            lines = Files.readAllLines(PROC_LOCKS, StandardCharsets.US_ASCII);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // no /proc/locks or no unix attributes: the same-process check cannot be made here, and
            // the directory's file lock (which stands on its own) decides alone
            return false;
        }
        String wanted = Long.toHexString(major(dev)) + ":" + Long.toHexString(minor(dev)) + ":" + inode;
        for (String line : lines) {
            if (heldBy(line, pid, wanted)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a {@code /proc/locks} line is a POSIX lock (not a waiter) of {@code pid} on {@code devInode}. */
    static boolean heldBy(String line, long pid, String devInode) {
        String[] f = line.trim().split("\\s+");
        // "N:" TYPE ADVISORY|MANDATORY READ|WRITE PID MAJ:MIN:INODE START END; a waiter has "->" after N:
        if (f.length < 6 || !f[1].equals("POSIX")) {
            return false;
        }
        return f[4].equals(Long.toString(pid)) && sameFile(f[5], devInode);
    }

    /** {@code fe:00:123} against {@code fe:0:123}: the kernel pads major and minor to two digits. */
    private static boolean sameFile(String listed, String wanted) {
        String[] a = listed.split(":");
        String[] b = wanted.split(":");
        if (a.length != 3 || b.length != 3) {
            return false;
        }
        try {
            return Long.parseLong(a[0], 16) == Long.parseLong(b[0], 16)
                    && Long.parseLong(a[1], 16) == Long.parseLong(b[1], 16)
                    && a[2].equals(b[2]);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** glibc's {@code gnu_dev_major()}: the major number of a {@code st_dev}. */
    static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    }

    /** glibc's {@code gnu_dev_minor()}: the minor number of a {@code st_dev}. */
    static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    }
}
