package io.kpsim.pcap;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Wall-clock, thread-CPU and process-CPU time of a measured section, for the throughput utilities.
 * On a shared machine the wall-clock rate includes time spent waiting for a core; the CPU rates do
 * not (process CPU also counts GC and JIT threads).
 */
final class Stopwatch {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long wall = System.nanoTime();
    private final long thread = THREADS.getCurrentThreadCpuTime();
    private final long process = processCpu();

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** {@code wall X/s, thread-CPU Y/s, process-CPU Z/s} for {@code n} items. */
    String rates(long n) {
        double w = (System.nanoTime() - wall) / 1e9;
        double t = (THREADS.getCurrentThreadCpuTime() - thread) / 1e9;
        double p = (processCpu() - process) / 1e9;
        return String.format(
                "%.3f s wall: %,10.0f/s wall, %,10.0f/s thread-CPU, %,10.0f/s process-CPU", w, n / w, n / t, n / p);
    }
}
