package io.kpsim.cluster;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.engine.Durations;
import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * Manual probe (test scope, not a test): the congested ten-client download of
 * {@code ModelThroughputBenchmark}, run for 2 simulated seconds per round, reporting packets per
 * second of wall time and of this thread's CPU time, and the bytes this thread allocated per
 * packet. On a shared machine the CPU-time figure is the one that does not depend on what else
 * runs; the process figure adds the GC and JIT threads (run with {@code -XX:+UseSerialGC} to keep
 * the collector to one thread).
 * {@code java -cp <test classpath> io.kpsim.cluster.PerfProbe [rounds]}.
 */
final class PerfProbe {

    private PerfProbe() {}

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    public static void main(String[] args) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        for (int round = 0; round < rounds; round++) {
            Cluster c = BlogClusters.tcarmet(1, KernelProfile.V4_19, Map.of(), false, 0);
            long wall0 = System.nanoTime();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long allocated0 = threads.getThreadAllocatedBytes(self);
            long process0 = processCpu();
            ClusterResults r = c.run(Durations.seconds(2));
            double wall = (System.nanoTime() - wall0) / 1e9;
            double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
            double process = (processCpu() - process0) / 1e9;
            long allocated = threads.getThreadAllocatedBytes(self) - allocated0;
            long hops = 0;
            for (LinkStats l : r.links().values()) {
                hops += l.offered();
            }
            System.out.printf(
                    "round %d: %d packets, %d hops; wall %.3f s -> %.0f packets/s; thread cpu %.3f s -> %.0f"
                            + " packets/s, %.0f hops/s; process cpu (GC, JIT included) %.3f s -> %.0f packets/s;"
                            + " allocated %d B/packet%n",
                    round,
                    r.packetsSent(),
                    hops,
                    wall,
                    r.packetsSent() / wall,
                    cpu,
                    r.packetsSent() / cpu,
                    hops / cpu,
                    process,
                    r.packetsSent() / process,
                    allocated / r.packetsSent());
        }
    }
}
