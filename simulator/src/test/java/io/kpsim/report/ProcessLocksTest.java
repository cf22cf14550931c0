package io.kpsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.pcap.CaptureException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ProcessLocks}: reading the kernel's {@code /proc/locks}, and the claim it protects. */
class ProcessLocksTest {

    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @Test
    void parsesTheKernelsLines() {
        assertTrue(ProcessLocks.heldBy("1: POSIX  ADVISORY  WRITE 4242 fe:00:2154956 0 EOF", 4242, "fe:0:2154956"));
        assertFalse(ProcessLocks.heldBy("1: POSIX  ADVISORY  WRITE 4243 fe:00:2154956 0 EOF", 4242, "fe:0:2154956"));
        assertFalse(ProcessLocks.heldBy("1: POSIX  ADVISORY  WRITE 4242 fe:00:2154957 0 EOF", 4242, "fe:0:2154956"));
        assertFalse(ProcessLocks.heldBy("1: POSIX  ADVISORY  WRITE 4242 fe:01:2154956 0 EOF", 4242, "fe:0:2154956"));
        // flock(2) and OFD locks are not the POSIX lock the claim takes; a waiter holds nothing yet
        assertFalse(ProcessLocks.heldBy("2: FLOCK  ADVISORY  WRITE 4242 fe:00:2154956 0 EOF", 4242, "fe:0:2154956"));
        assertFalse(ProcessLocks.heldBy("3: OFDLCK ADVISORY  WRITE -1 fe:00:2154956 0 EOF", 4242, "fe:0:2154956"));
        assertFalse(ProcessLocks.heldBy("1: -> POSIX  ADVISORY  WRITE 4242 fe:00:2154956 0 EOF", 4242, "fe:0:2154956"));
        assertFalse(ProcessLocks.heldBy("garbage", 4242, "fe:0:2154956"));
    }

    @Test
    void splitsADeviceNumberAsGlibcDoes() {
        assertEquals(254, ProcessLocks.major(0xfe00));
        assertEquals(0, ProcessLocks.minor(0xfe00));
        assertEquals(8, ProcessLocks.major(0x0801));
        assertEquals(1, ProcessLocks.minor(0x0801));
        // makedev(259, 0x12345): minor bits above the first 8 sit above the major's low 12 bits
        long dev = (0x12345L & 0xff) | ((259L & 0xfff) << 8) | ((0x12345L & ~0xffL) << 12);
        assertEquals(259, ProcessLocks.major(dev));
        assertEquals(0x12345, ProcessLocks.minor(dev));
    }

    @Test
    void seesALockThisProcessHoldsAndNotAfterItsRelease() throws IOException {
        Assumptions.assumeTrue(Files.isReadable(ProcessLocks.PROC_LOCKS), "no /proc/locks on this system");
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertFalse(ProcessLocks.holds(PID, file));
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock = c.tryLock();
            assertNotNull(lock);
            assertTrue(ProcessLocks.holds(PID, file));
            assertFalse(ProcessLocks.holds(PID + 1, file));
            lock.release();
            assertFalse(ProcessLocks.holds(PID, file));
        }
        assertFalse(ProcessLocks.holds(PID, dir.resolve("absent")));
    }

    @Test
    void aSecondClaimFromThisProcessLeavesTheFirstOneLocked() {
        Assumptions.assumeTrue(Files.isReadable(ProcessLocks.PROC_LOCKS), "no /proc/locks on this system");
        try (CaptureDirectoryLock first = CaptureDirectoryLock.acquire(dir)) {
            Path file = dir.resolve(CaptureDirectoryLock.FILE);
            for (int i = 0; i < 3; i++) {
                CaptureException e = assertThrows(CaptureException.class, () -> CaptureDirectoryLock.acquire(dir));
                assertTrue(e.getMessage().contains("(pid " + PID + ", this process)"), e.getMessage());
            }
            // had the refused claims opened and closed the file, the kernel would have dropped the lock
            assertTrue(ProcessLocks.holds(PID, file), "the first claim's lock survived");
        }
        try (CaptureDirectoryLock again = CaptureDirectoryLock.acquire(dir)) {
            assertTrue(ProcessLocks.holds(PID, dir.resolve(CaptureDirectoryLock.FILE)));
        }
    }
}
