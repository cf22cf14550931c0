package io.kpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.engine.Durations;
import io.kpsim.packet.Ip4;
import io.kpsim.tcp.TcpConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-pod TCP settings, read rates and forged-segment offsets: how the builder takes them and what it refuses. */
class WorkloadSettingsTest {

    private static final int VIP = Ip4.parse(BlogClusters.VIP);

    @Test
    void aPodRunsWithTheTcpConfigOfItsSpec() {
        TcpConfig small = TcpConfig.linux().withMss(1200).withFixedReceiveBuffer(32 * 1024);
        Cluster c = BlogClusters.twoNodes(1, KernelProfile.V6_18, Map.of(), false)
                .pod(new PodSpec("third", "node-a", Ip4.parse("10.244.0.3"), small))
                .build();
        assertEquals(small, c.pod("third").stack().config());
        assertEquals(TcpConfig.linux(), c.pod("server").stack().config(), "no TCP config: Linux's defaults");
        IllegalArgumentException none = assertThrows(
                IllegalArgumentException.class, () -> new PodSpec("nobody", "node-a", Ip4.parse("10.244.0.4"), null));
        assertEquals("pod nobody has no TCP config", none.getMessage());
    }

    @Test
    void aSlowDownloadReadsAtItsRate() {
        ClusterResults r = BlogClusters.twoNodes(2, KernelProfile.V6_18, Map.of(), false)
                .workload(new FileServerSpec("server", 9000, 1 << 20, true))
                .workload(new DownloadClientSpec("client", VIP, 9000, 1 << 20, 1, 1, 0, 256 * 1024))
                .build()
                .run(Durations.seconds(3));
        assertEquals(0, r.downloadsCompleted(), "1 MiB at 256 KiB/s takes 4 s:\n" + r.summary());
        ClusterResults later = BlogClusters.twoNodes(2, KernelProfile.V6_18, Map.of(), false)
                .workload(new FileServerSpec("server", 9000, 1 << 20, true))
                .workload(new DownloadClientSpec("client", VIP, 9000, 1 << 20, 1, 1, 0, 256 * 1024))
                .build()
                .run(Durations.seconds(5));
        assertEquals(1, later.downloadsCompleted(), later.summary());
    }

    @Test
    void badRatesAndOffsetsAreRefusedNamingTheWorkload() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new DownloadClientSpec("client", VIP, 80, 1, 1, 1, 0, 0));
        assertEquals("download client on client: read rate 0 B/s is not positive", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> new BoomServerSpec("server", 9000, Durations.seconds(10), 0));
        assertEquals("boom server on server: seq offset 0 is not in 1..1073741824", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new InjectionSpec(0, "server", "client", 0, InjectionKind.BAD_ACK, -1));
        assertTrue(e.getMessage().contains("offset -1 is not in 1..1073741824 (or 0 for automatic)"), e.getMessage());
        assertEquals(
                BoomServerSpec.DEFAULT_SEQ_OFFSET, BoomServerSpec.of("server").seqOffset());
        assertEquals(
                InjectionSpec.AUTO_OFFSET,
                new InjectionSpec(0, "server", "client", 0, InjectionKind.BAD_ACK).offsetBytes());
    }
}
