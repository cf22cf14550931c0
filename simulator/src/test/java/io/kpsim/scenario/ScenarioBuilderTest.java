package io.kpsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.cluster.Cluster;
import io.kpsim.cluster.LinkImpairments;
import io.kpsim.conntrack.KernelVersion;
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
        assertEquals(KernelVersion.V4_19, c.node("node-a").conntrack().kernel());
        assertTrue(c.node("node-b").conntrack().sysctls().tcpBeLiberal());
        assertTrue(ScenarioRun.rules(s.spec(), "node-a").contains("-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP"));
        assertEquals(List.of("client", "server"), List.copyOf(c.pods().keySet()));
        assertEquals(65536, ScenarioBuilder.tcpConfig(load("congested-4.19").spec(), new java.util.ArrayList<>())
                .rcvBufBytes());
    }

    @Test
    void settingsTheModelLacksAreRefusedOneLineEach() throws ScenarioException {
        Scenario s = load("congested-4.19", "spec.pods[0].tcp.receiveBuffer=128KiB",
                "spec.workloads[1].readRate=10MiB/s", "spec.pods[2].tcp.readRate=1MiB/s");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScenarioBuilder.build(s.spec()));
        List<String> lines = List.of(e.getMessage().split("\n"));
        assertEquals(List.of(
                "spec.pods[1].tcp: pod client-1's TCP settings differ from pod nginx's; kpsim applies one TCP"
                        + " configuration to every pod (expected the same tcp on every pod)",
                "spec.pods[2].tcp: pod client-2's TCP settings differ from pod nginx's; kpsim applies one TCP"
                        + " configuration to every pod (expected the same tcp on every pod)",
                "spec.pods[2].tcp.readRate: a limited application read rate is not modelled (expected no readRate)"),
                lines.subList(0, 3));
        assertTrue(lines.contains("spec.workloads[1].readRate: a limited application read rate is not modelled"
                + " (expected no readRate)"), lines.toString());
        Scenario offset = load("blog-reset", "spec.injections[0].offset=1MiB");
        IllegalArgumentException o = assertThrows(IllegalArgumentException.class,
                () -> ScenarioBuilder.build(offset.spec()));
        assertTrue(o.getMessage().startsWith("spec.injections[0].offset: "), o.getMessage());
    }
}
