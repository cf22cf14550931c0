package io.kpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.engine.Durations;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.TcpFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadsTest {

    private static final int VIP = Ip4.parse(BlogClusters.VIP);

    private static ClusterResults download(boolean keepAlive, int downloads, int parallel) {
        return BlogClusters.twoNodes(2, KernelProfile.V6_18, Map.of(), false)
                .workload(new FileServerSpec("server", 9000, 1 << 20, keepAlive))
                .workload(new DownloadClientSpec("client", VIP, 9000, 1 << 20, downloads, parallel, 0))
                .build()
                .run(Durations.seconds(2));
    }

    @Test
    void downloadsCompleteThroughTheClusterIpWithEitherServerMode() {
        for (boolean keepAlive : new boolean[] {true, false}) {
            ClusterResults r = download(keepAlive, 5, 2);
            assertEquals(5, r.connectionsOpened(), r.summary());
            assertEquals(5, r.connectionsEstablished(), r.summary());
            assertEquals(5, r.downloadsCompleted(), r.summary());
            assertEquals(0, r.downloadsFailed(), r.summary());
            assertEquals(0, r.resets(), r.summary());
            assertEquals(0, r.invalidTotal(), r.summary());
            assertTrue(r.links().get("node-b->node-a").bytesDelivered() > 5L << 20, r.summary());
        }
    }

    @Test
    void aClientOnTheServersNodeReachesItThroughTheBridge() {
        Cluster cluster = BlogClusters.twoNodes(2, KernelProfile.V4_19, Map.of(), false)
                .pod("neighbour", "node-b", "10.244.1.7")
                .workload(new FileServerSpec("server", 9000, 1 << 20, true))
                .workload(new DownloadClientSpec("neighbour", VIP, 9000, 1 << 20, 2, 1, 0))
                .build();
        ClusterResults r = cluster.run(Durations.seconds(1));
        assertEquals(2, r.downloadsCompleted(), r.summary());
        assertEquals(0, r.links().get("node-b->node-a").offered(), "nothing crosses nodes:\n" + r.summary());
        assertEquals(2, cluster.node("node-b").conntrack().count(), "one entry per download on node-b");
        assertEquals(0, cluster.node("node-a").conntrack().count());
    }

    @Test
    void theBoomServerClosesItsConnectionsAfterTenSeconds() {
        Cluster cluster = BlogClusters.twoNodes(4, KernelProfile.V6_18, Map.of(), false)
                .workload(BoomServerSpec.of("server"))
                .workload(new ConnectLoopSpec("client", VIP, 9000, Durations.seconds(2), 0, 3))
                .build();
        List<TraceEvent> fins = new ArrayList<>();
        cluster.addTraceListener(e -> {
            if (e.point() == TracePoint.POD_SEND
                    && e.where().equals("server")
                    && e.packet().tcp().has(TcpFlags.FIN)) {
                fins.add(e);
            }
        });
        ClusterResults r = cluster.run(Durations.seconds(15));
        assertEquals(3, r.connectionsEstablished(), r.summary());
        assertEquals(3, r.packetsInjected(), r.summary());
        assertEquals(0, r.resets(), "6.18 ignores the boom segment:\n" + r.summary());
        assertEquals(3, r.loopsCompleted(), "each connection closed cleanly:\n" + r.summary());
        assertEquals(3, fins.size());
        for (int i = 0; i < 3; i++) {
            long established = i * Durations.seconds(2);
            long t = fins.get(i).timeNanos() - established;
            assertTrue(
                    t >= Durations.seconds(10) && t < Durations.seconds(10) + Durations.millis(1),
                    "FIN " + i + " at " + Durations.format(fins.get(i).timeNanos()));
        }
        assertTrue(cluster.pod("client").openConnections().isEmpty(), "the clients closed after the server");
    }

    @Test
    void aPacketForAnAddressNoRouteCoversIsDroppedWithTheKernelsReason() {
        Cluster cluster = BlogClusters.twoNodes(4, KernelProfile.V6_18, Map.of(), false)
                .workload(new ConnectLoopSpec("client", Ip4.parse("10.96.0.99"), 80, Durations.seconds(5), 0, 1))
                .build();
        List<TraceEvent> drops = new ArrayList<>();
        cluster.addTraceListener(e -> {
            if (e.point() == TracePoint.NODE_DROP) {
                drops.add(e);
            }
        });
        ClusterResults r = cluster.run(Durations.seconds(2));
        assertTrue(r.unroutable() >= 1, r.summary());
        assertEquals(r.unroutable(), drops.size());
        assertEquals("node-a", drops.get(0).where());
        assertEquals("no route to host 10.96.0.99", drops.get(0).reason());
        assertEquals("DROP", drops.get(0).verdict());
        assertEquals(0, r.connectionsEstablished());
    }

    @Test
    void linkImpairmentsAreTraced() {
        Cluster cluster = BlogClusters.twoNodes(4, KernelProfile.V6_18, Map.of(), false)
                .link(
                        "node-b",
                        "node-a",
                        LinkImpairments.delay(Durations.micros(50))
                                .withLoss(0.01)
                                .withDuplicate(0.01)
                                .withHoldBack(0.01, Durations.millis(1)))
                .workload(new FileServerSpec("server", 9000, 1 << 20, true))
                .workload(new DownloadClientSpec("client", VIP, 9000, 1 << 20, 2, 1, 0))
                .build();
        long[] counts = new long[TracePoint.values().length];
        cluster.addTraceListener(e -> counts[e.point().ordinal()]++);
        ClusterResults r = cluster.run(Durations.seconds(3));
        LinkStats s = r.links().get("node-b->node-a");
        assertEquals(s.lost(), counts[TracePoint.LINK_LOSS.ordinal()]);
        assertEquals(s.duplicated(), counts[TracePoint.LINK_DUPLICATE.ordinal()]);
        assertEquals(s.heldBack(), counts[TracePoint.LINK_HOLD_BACK.ordinal()]);
        assertTrue(s.lost() > 0 && s.duplicated() > 0 && s.heldBack() > 0, s.toString());
        assertEquals(2, r.downloadsCompleted(), r.summary());
        assertTrue(r.retransmissions() > 0, r.summary());
    }

    @Test
    void anInjectionWithoutAConnectionIsCountedAsMissed() {
        Cluster cluster = BlogClusters.twoNodes(4, KernelProfile.V4_19, Map.of(), false)
                .linkPair("node-a", "node-b", LinkImpairments.delay(Durations.micros(300)))
                .workload(BoomServerSpec.of("server"))
                .workload(new ConnectLoopSpec("client", VIP, 9000, Durations.seconds(2), Durations.millis(10), 1))
                .inject(new InjectionSpec(Durations.millis(5), "server", "client", -1, InjectionKind.ABOVE_UPPER_BOUND))
                .inject(new InjectionSpec(Durations.millis(20), "server", "client", 1, InjectionKind.ABOVE_UPPER_BOUND))
                .build();
        ClusterResults r = cluster.run(Durations.millis(50));
        assertEquals(
                2,
                r.injectionsMissed(),
                "before the connection, and a second connection that never was:\n" + r.summary());
        assertEquals(1, r.packetsInjected(), "only the boom segment:\n" + r.summary());
        for (String link : new String[] {"node-a->node-b", "node-b->node-a"}) {
            assertEquals(
                    Durations.micros(300),
                    cluster.links().get(link).impairments().delayNanos(),
                    link);
        }
    }

    @Test
    void mismatchedFileSizesAreRejected() {
        ClusterBuilder b = BlogClusters.twoNodes(1, KernelProfile.V6_18, Map.of(), false)
                .workload(new FileServerSpec("server", 9000, 1 << 20, true))
                .workload(new DownloadClientSpec("client", VIP, 9000, 2 << 20, 1, 1, 0));
        ClusterSpecException e = assertThrows(ClusterSpecException.class, b::build);
        assertTrue(e.getMessage().contains("client") && e.getMessage().contains("server"), e.getMessage());
    }
}
