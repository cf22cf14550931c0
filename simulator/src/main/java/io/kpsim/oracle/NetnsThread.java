package io.kpsim.oracle;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a task on a fresh thread that has first joined a named network namespace with
 * {@code setns(2)} ({@code CLONE_NEWNET}), the way {@code ip netns exec} does for a process.
 *
 * <p>Why: sockets belong to the namespace of the task that creates them. libpcap's packet and
 * netlink sockets opened on such a thread stay in the harness or node namespace for their whole
 * life, while the JVM's other threads stay in the root namespace. The thread is used once and
 * ends, so no JVM thread is ever left in a foreign namespace. Network namespaces (unlike mount
 * or user namespaces) may be joined by one thread of a multithreaded process.
 */
final class NetnsThread {

    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    /** The two libc calls needed, through JNA (a pcap4j dependency). */
    interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int setns(int fd, int nstype) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private NetnsThread() {}

    /**
     * Runs {@code task} in namespace {@code netns} (a name under {@code /run/netns}) and returns
     * its result. An unchecked exception or error of the task is rethrown as it is (an
     * {@link OracleException} for what this machine cannot do; anything else is a kpsim bug, and
     * must not be reported as the machine's fault); a checked one becomes an {@link OracleException}.
     */
    static <T> T call(String netns, Callable<T> task) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        enter(netns);
                        result.set(task.call());
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                },
                "kpsim-netns-" + netns);
        thread.setDaemon(true);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OracleException("interrupted while working in namespace " + netns, e);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) {
            throw r; // as it is: OracleException and CaptureException say what the machine lacks, the rest is a bug
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new OracleException("in namespace " + netns + ": " + t, t);
        }
        return result.get();
    }

    private static void enter(String netns) {
        LibC libc;
        try {
            libc = Native.load("c", LibC.class);
        } catch (LinkageError e) {
            throw new OracleException("cannot load libc through JNA to call setns(2): " + e.getMessage(), e);
        }
        String path = "/run/netns/" + netns;
        int fd;
        try {
            fd = libc.open(path, O_RDONLY_CLOEXEC);
        } catch (LastErrorException e) {
            throw new OracleException("cannot open " + path + ": errno " + e.getErrorCode(), e);
        }
        try {
            libc.setns(fd, CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw new OracleException("setns(" + path + ") failed: errno " + e.getErrorCode(), e);
        } finally {
            libc.close(fd);
        }
    }
}
