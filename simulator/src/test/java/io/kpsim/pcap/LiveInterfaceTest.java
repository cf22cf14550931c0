package io.kpsim.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Live inject/capture over a veth pair inside a namespace this test creates and removes. */
class LiveInterfaceTest {

    /** setns(2) for the test thread. */
    interface LibC extends Library {
        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);
    }

    @Test
    void libpcapLoads() {
        assertTrue(LiveInterface.libraryVersion().startsWith("libpcap"), LiveInterface.libraryVersion());
    }

    @Test
    void missingDeviceIsOneLineError() {
        Assumptions.assumeTrue(isRoot(), "not running as root: cannot open capture devices");
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> LiveInterface.openEthernet("kps-no-such-dev", "ip"));
        assertTrue(e.getMessage().startsWith("pcap: cannot open kps-no-such-dev"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void injectedFrameArrivesOnThePeerAndNotBackOnTheSender() throws Exception {
        Assumptions.assumeTrue(isRoot(), "not running as root: cannot create a network namespace");
        String ns = "kpl-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
        assumeOk(List.of("ip", "netns", "add", ns));
        ExecutorService inNs = Executors.newSingleThreadExecutor();
        try {
            run(List.of(
                    "ip",
                    "netns",
                    "exec",
                    ns,
                    "sysctl",
                    "-qw",
                    "net.ipv6.conf.all.disable_ipv6=1",
                    "net.ipv6.conf.default.disable_ipv6=1"));
            run(List.of("ip", "-n", ns, "link", "add", "kpla", "type", "veth", "peer", "name", "kplb"));
            run(List.of("ip", "-n", ns, "link", "set", "kpla", "up"));
            run(List.of("ip", "-n", ns, "link", "set", "kplb", "up"));
            CompletableFuture.runAsync(() -> enter(ns), inNs).get();
            LiveInterface a = CompletableFuture.supplyAsync(() -> LiveInterface.openEthernet("kpla", "ip"), inNs)
                    .get();
            LiveInterface b = CompletableFuture.supplyAsync(() -> LiveInterface.openEthernet("kplb", "ip"), inNs)
                    .get();
            LiveInterface log = CompletableFuture.supplyAsync(() -> LiveInterface.openNflog(0), inNs)
                    .get();
            try (a;
                    b;
                    log) {
                byte[] frame = frame();
                a.inject(frame);
                byte[] got = null;
                for (long end = System.nanoTime() + 2_000_000_000L; got == null && System.nanoTime() < end; ) {
                    got = b.poll();
                    LockSupport.parkNanos(100_000);
                }
                assertArrayEquals(frame, got);
                assertNull(a.poll(), "the sender does not capture its own injection");
                assertEquals(0, b.drain());
                assertEquals("nflog:0", log.device());
            }
        } finally {
            inNs.shutdownNow();
            run(List.of("ip", "netns", "delete", ns));
        }
        String list = new String(new ProcessBuilder("ip", "netns", "list")
                .start()
                .getInputStream()
                .readAllBytes());
        assertFalse(list.contains(ns), list);
    }

    /** A minimal Ethernet + IPv4/UDP frame between two documentation addresses. */
    private static byte[] frame() {
        byte[] f = new byte[14 + 28];
        byte[] head = {
            (byte) 0xff,
            (byte) 0xff,
            (byte) 0xff,
            (byte) 0xff,
            (byte) 0xff,
            (byte) 0xff,
            2,
            0,
            0,
            0,
            0,
            1,
            8,
            0,
            0x45,
            0,
            0,
            28,
            0,
            1,
            0,
            0,
            64,
            17,
            0,
            0,
            (byte) 192,
            0,
            2,
            1,
            (byte) 192,
            0,
            2,
            2,
            0x30,
            0x39,
            0x30,
            0x39,
            0,
            8,
            0,
            0
        };
        System.arraycopy(head, 0, f, 0, head.length);
        return f;
    }

    private static void enter(String ns) {
        LibC libc = Native.load("c", LibC.class);
        int fd = libc.open("/run/netns/" + ns, 0x80000);
        if (fd < 0 || libc.setns(fd, 0x40000000) != 0) {
            throw new IllegalStateException("cannot enter namespace " + ns);
        }
        libc.close(fd);
    }

    private static boolean isRoot() {
        try {
            return new String(new ProcessBuilder("id", "-u")
                            .start()
                            .getInputStream()
                            .readAllBytes())
                    .trim()
                    .equals("0");
        } catch (IOException e) {
            return false;
        }
    }

    private static void assumeOk(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        Assumptions.assumeTrue(p.waitFor() == 0, String.join(" ", command) + ": " + out.trim());
    }

    private static void run(List<String> command) throws IOException, InterruptedException, ExecutionException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new ExecutionException(new IllegalStateException(String.join(" ", command) + ": " + out.trim()));
        }
    }
}
