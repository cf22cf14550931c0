package io.kpsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.cluster.Cluster;
import io.kpsim.cluster.LinkImpairments;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.tcp.TcpConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec records to the cluster model: links, TCP settings, nodes, and what the model refuses. */
class ScenarioBuilderTest {

    private static Scenario load(String name, String... overrides) throws ScenarioException {
        Path file = ScenarioLibraryTest.root().resolve("scenarios").resolve(name + ".yaml");
        return ScenarioLoader.load(file, List.of(overrides));
    }

    @Test
    void linkDelayPlusMinusJitterBecomesBasePlusUniformExtra() throws ScenarioException {
        Scenario s = load("congested-4.19");
        LinkSpec link = s.spec().links().get(0);
        LinkImpairments imp = ScenarioBuilder.impairments(link);
        assertEquals(900_000, imp.delayNanos(), "1ms - 100us");
        assertEquals(200_000, imp.jitterNanos(), "2 x 100us");
        assertEquals(100_000_000L / 8, imp.bytesPerSecond());
        assertEquals(256 * 1024, imp.queueLimitBytes());
        assertEquals(0.001, imp.lossProbability(), 1e-12);
        assertEquals(0.001, imp.duplicateProbability(), 1e-12);
        assertEquals(0.0002, imp.holdBackProbability(), 1e-12);
        assertEquals(50_000_000, imp.holdBackNanos());
    }

    @Test
    void nodesGetTheScenariosKernelSysctlsAndRules() throws ScenarioException {
        Scenario s = load("blog-reset-be-liberal", "spec.kubeProxy.dropInvalid=true");
        Cluster c = ScenarioBuilder.build(s.spec());
        assertEquals(List.of("node-a", "node-b"), List.copyOf(c.nodes().keySet()));
        assertEquals(KernelProfile.V4_19, c.node("node-a").conntrack().kernel());
        assertTrue(c.node("node-b").conntrack().sysctls().tcpBeLiberal());
        assertTrue(ScenarioRun.rules(s.spec(), "node-a")
                .contains("-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP"));
        assertEquals(List.of("client", "server"), List.copyOf(c.pods().keySet()));
        assertEquals(TcpConfig.linux(), c.pod("client").stack().config(), "no tcp: Linux's defaults");
        assertEquals(65536, load("congested-4.19").spec().pods().get(0).tcp().rcvBufBytes());
    }

    @Test
    void eachPodGetsItsOwnTcpConfiguration() throws ScenarioException {
        Scenario s = load(
                "congested-4.19",
                "spec.pods[0].tcp.receiveBuffer=128KiB",
                "spec.pods[1].tcp.mss=1400",
                "spec.pods[1].tcp.sack=false",
                "spec.pods[1].tcp.windowScaling=false",
                "spec.pods[2].tcp.sendBuffer=32KiB");
        Cluster c = ScenarioBuilder.build(s.spec());
        TcpConfig nginx = c.pod("nginx").stack().config();
        TcpConfig client1 = c.pod("client-1").stack().config();
        TcpConfig client2 = c.pod("client-2").stack().config();
        assertEquals(128 * 1024, nginx.rcvBufBytes());
        assertEquals(128 * 1024, nginx.rcvBufMaxBytes(), "SO_RCVBUF turns autotuning off");
        assertEquals(
                List.of(1460, true, 7, 65536),
                List.of(client2.mss(), client2.sack(), client2.windowScale(), client2.rcvBufBytes()));
        assertEquals(
                List.of(1400, false, -1, 65536),
                List.of(client1.mss(), client1.sack(), client1.windowScale(), client1.rcvBufBytes()));
        assertEquals(32 * 1024, client2.sndBufBytes());
        assertEquals(0, client1.sndBufBytes(), "no sendBuffer: autotuned");
    }

    @Test
    void readRatesAndOffsetsReachTheModelInTheirUnits() {
        assertEquals(
                io.kpsim.cluster.DownloadClientSpec.READ_INSTANTLY,
                WorkloadBinder.readBytesPerSecond(TcpTuning.UNLIMITED));
        assertEquals(50L << 20, WorkloadBinder.readBytesPerSecond(50L * 8 << 20), "50MiB/s");
        assertEquals(1, WorkloadBinder.readBytesPerSecond(1), "1bit/s reads a byte a second");
    }
}
