package io.kpsim.bench;

import io.kpsim.cluster.Cluster;
import io.kpsim.cluster.ClusterBuilder;
import io.kpsim.cluster.ClusterResults;
import io.kpsim.cluster.DownloadClientSpec;
import io.kpsim.cluster.FileServerSpec;
import io.kpsim.cluster.LinkImpairments;
import io.kpsim.cluster.LinkStats;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.engine.Durations;
import io.kpsim.packet.Ip4;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole model's speed: simulated packets per second of wall time in tcarmet's congested
 * workload (ten client pods on node A looping 4 MiB downloads from a server on node B through a
 * ClusterIP, over a 1 Gbit/s link with a 1 MB drop-tail queue, kernel 4.19, no tracing).
 *
 * <p>Each invocation advances the run by 10 ms of virtual time. Counters, per second of wall time:
 * {@code packets} are packets the pods' TCP stacks sent (each one crosses a veth, a node's
 * netfilter, the inter-node link, the other node's netfilter and a veth, and is processed by the
 * receiving stack); {@code hops} are link transmissions (three per packet that arrives).
 * One cluster runs through the whole trial: the clients loop forever, so after slow start (inside
 * the warm-up) every stretch of the run is the same steady congested state. The fork uses the
 * serial collector so the whole model, garbage collection included, runs on one core.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseSerialGC")
public class ModelThroughputBenchmark {

    private static final long STEP = Durations.millis(10);
    private static final String VIP = "10.96.0.10";

    /** One cluster mid-run. */
    @State(Scope.Thread)
    public static class Model {
        @Param({"10"})
        public int clients;

        Cluster cluster;
        long packets;
        long hops;

        @Setup(Level.Trial)
        public void build() {
            ClusterBuilder b = new ClusterBuilder(1)
                    .node("node-a", "10.0.0.1", "10.244.0.0/24", KernelProfile.V4_19, Map.of(), false)
                    .node("node-b", "10.0.0.2", "10.244.1.0/24", KernelProfile.V4_19, Map.of(), false)
                    .pod("server", "node-b", "10.244.1.2")
                    .defaultNodeLink(
                            LinkImpairments.delay(Durations.micros(100)).withBandwidth(125_000_000, 1_000_000))
                    .workload(new FileServerSpec("server", 9000, 4 << 20, true));
            String[] endpoints = {"server"};
            b.service("default", "nginx", VIP, 9000, 9000, endpoints);
            for (int i = 0; i < clients; i++) {
                b.pod("client-" + i, "node-a", "10.244.0." + (10 + i));
                b.workload(new DownloadClientSpec("client-" + i, Ip4.parse(VIP), 9000, 4 << 20, 0, 1, 0));
            }
            cluster = b.build();
            packets = 0;
            hops = 0;
        }

        void step() {
            ClusterResults r = cluster.run(STEP);
            long totalHops = 0;
            for (LinkStats l : r.links().values()) {
                totalHops += l.offered();
            }
            packets = r.packetsSent();
            hops = totalHops;
        }
    }

    /** Simulated work, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Work {
        public long packets;
        public long hops;
    }

    @Benchmark
    public long congestedDownloads(Model m, Work w) {
        long packetsBefore = m.packets;
        long hopsBefore = m.hops;
        m.step();
        w.packets += m.packets - packetsBefore;
        w.hops += m.hops - hopsBefore;
        return m.packets;
    }
}
