package io.kpsim.oracle;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Pins the calling thread to the CPU it runs on ({@code sched_setaffinity(2)} with pid 0, which
 * means the calling thread) and gives it back its previous CPU mask on {@link #close()}.
 *
 * <p>Why: a frame injected on a veth is queued on the backlog of the CPU that sends it
 * ({@code __netif_rx()} → {@code enqueue_to_backlog(skb, smp_processor_id())} in
 * {@code net/core/dev.c}). Two frames sent from one CPU are processed in the order they were sent;
 * two frames sent from different CPUs are not, if the first one's softirq work was deferred (to
 * {@code ksoftirqd}, under load) and the thread moved on. The {@link Sentinel} is only a proof of
 * "done" when it is processed after the captured packet, so the oracle injects both from one CPU.
 *
 * <p>The mask is {@code cpu_set_t} as an array of {@code unsigned long}: bit {@code c % 64} of
 * word {@code c / 64} is CPU {@code c}, whatever the byte order. 1,024 CPUs, glibc's
 * {@code CPU_SETSIZE}.
 */
final class CpuPin implements AutoCloseable {

    private static final int WORDS = 1024 / 64;
    private static final long MASK_BYTES = WORDS * 8L;

    /** The three scheduler calls through JNA (a pcap4j dependency). */
    interface LibC extends Library {
        int sched_getcpu() throws LastErrorException;

        int sched_getaffinity(int pid, long size, long[] mask) throws LastErrorException;

        int sched_setaffinity(int pid, long size, long[] mask) throws LastErrorException;
    }

    private final LibC libc;
    private final long[] previous;
    private final int cpu;
    private boolean closed;

    private CpuPin(LibC libc, long[] previous, int cpu) {
        this.libc = libc;
        this.previous = previous;
        this.cpu = cpu;
    }

    /**
     * Pins the calling thread to the CPU it is running on.
     *
     * @throws OracleException when the scheduler refuses (one line, with errno)
     */
    static CpuPin here() {
        LibC libc;
        try {
            libc = Native.load("c", LibC.class);
        } catch (LinkageError e) {
            throw new OracleException(
                    "cannot load libc through JNA to call sched_setaffinity(2): " + e.getMessage(), e);
        }
        long[] previous = new long[WORDS];
        try {
            libc.sched_getaffinity(0, MASK_BYTES, previous);
            int cpu = libc.sched_getcpu();
            if (cpu < 0 || cpu >= WORDS * 64) {
                throw new OracleException("sched_getcpu() answered CPU " + cpu + ", outside a 1024-CPU mask");
            }
            long[] one = new long[WORDS];
            one[cpu / 64] = 1L << (cpu % 64);
            libc.sched_setaffinity(0, MASK_BYTES, one);
            return new CpuPin(libc, previous, cpu);
        } catch (LastErrorException e) {
            throw new OracleException("cannot pin the oracle's thread to one CPU: errno " + e.getErrorCode(), e);
        }
    }

    /** The CPU the thread is pinned to. */
    int cpu() {
        return cpu;
    }

    /** The CPUs the calling thread may run on now, as {@code sched_getaffinity(2)} reports them. */
    static long[] currentMask() {
        long[] mask = new long[WORDS];
        try {
            Native.load("c", LibC.class).sched_getaffinity(0, MASK_BYTES, mask);
        } catch (LastErrorException e) {
            throw new OracleException("sched_getaffinity failed: errno " + e.getErrorCode(), e);
        }
        return mask;
    }

    /** Gives the thread back the CPU mask it had before (idempotent). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            libc.sched_setaffinity(0, MASK_BYTES, previous);
        } catch (LastErrorException e) {
            throw new OracleException("cannot restore the oracle thread's CPU mask: errno " + e.getErrorCode(), e);
        }
    }
}
