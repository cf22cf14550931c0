package io.kpsim.cluster;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.engine.Durations;
import io.kpsim.packet.Ip4;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;

/**
 * Many concurrent connections in one model: {@code clients} pods on node A each open
 * {@code connections / clients} connections to a ClusterIP with {@code servers} keep-alive file
 * server pods behind it on node B, spread over the first simulated second, and hold them open.
 * Reports the whole model's heap use per connection (heap after GC with the cluster alive, minus
 * heap after GC before it was built, over the established connections): two TCP sockets, a
 * conntrack entry on each node, the workloads' bookkeeping.
 *
 * <p>{@code main} runs the 100,000-connection figure (about a minute; not in the default suite):
 * {@code java -cp <test classpath> io.kpsim.cluster.ConnectionScale [connections [clients]]}.
 * {@link ConnectionScaleTest} runs the same code small.
 */
final class ConnectionScale {

    /** What a scale run measured. */
    record Result(int requested, long established, long heapBytes, long conntrackA, long conntrackB, long wallMillis) {
        long bytesPerConnection() {
            return established == 0 ? 0 : heapBytes / established;
        }
    }

    private ConnectionScale() {}

    static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    static Result run(int connections, int clients, int servers) {
        long before = usedHeapAfterGc();
        long t0 = System.nanoTime();
        ClusterBuilder b = new ClusterBuilder(11)
                .node("node-a", "10.0.0.1", "10.244.0.0/16", KernelProfile.V6_18, Map.of(), false)
                .node("node-b", "10.0.0.2", "10.245.0.0/16", KernelProfile.V6_18, Map.of(), false);
        String[] endpoints = new String[servers];
        for (int s = 0; s < servers; s++) {
            endpoints[s] = "server-" + s;
            b.pod(endpoints[s], "node-b", "10.245.0." + (10 + s));
            b.workload(new FileServerSpec(endpoints[s], 8080, 1 << 20, true));
        }
        b.service("default", "many", "10.96.0.30", 80, 8080, endpoints);
        int perClient = (connections + clients - 1) / clients;
        long interval = Durations.seconds(1) / perClient;
        for (int c = 0; c < clients; c++) {
            String pod = "client-" + c;
            b.pod(pod, "node-a", "10.244." + (c / 200) + "." + (10 + c % 200));
            int count = Math.min(perClient, connections - c * perClient);
            b.workload(new ConnectLoopSpec(pod, Ip4.parse("10.96.0.30"), 80, interval, c * 1000L, count));
        }
        Cluster cluster = b.build();
        ClusterResults r = cluster.run(Durations.seconds(2));
        long wall = (System.nanoTime() - t0) / 1_000_000;
        long after = usedHeapAfterGc();
        Result result = new Result(
                connections,
                r.connectionsEstablished(),
                after - before,
                cluster.node("node-a").conntrack().count(),
                cluster.node("node-b").conntrack().count(),
                wall);
        // Keep the cluster reachable until the heap was measured.
        if (cluster.pods().isEmpty()) {
            throw new IllegalStateException("no pods");
        }
        if (Boolean.getBoolean("kpsim.scale.pause")) {
            System.out.println("measured; pausing 60 s for a heap histogram (jcmd <pid> GC.class_histogram)");
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return result;
    }

    public static void main(String[] args) {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Result r = run(connections, clients, 2);
        System.out.printf(
                "connections requested %d, established %d, conntrack entries node-a %d node-b %d%n",
                r.requested(), r.established(), r.conntrackA(), r.conntrackB());
        System.out.printf(
                "heap for the model %.1f MiB = %d bytes per connection (max heap %d MiB), wall %d ms%n",
                r.heapBytes() / 1048576.0,
                r.bytesPerConnection(),
                Runtime.getRuntime().maxMemory() >> 20,
                r.wallMillis());
    }
}
