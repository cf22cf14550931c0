package io.kpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.engine.Durations;
import io.kpsim.packet.Ip4;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The one set of spec records: one record per workload kind, every kind started, veth links. */
class SpecsTest {

    private static final int VIP = Ip4.parse(BlogClusters.VIP);

    private static List<WorkloadSpec> oneOfEach() {
        return List.of(
                new FileServerSpec("server", 8080, 1 << 20, true),
                new DownloadClientSpec("client", Ip4.parse("10.96.0.11"), 80, 1 << 20, 1, 1, 0),
                BoomServerSpec.of("server"),
                new ConnectLoopSpec("client", VIP, 9000, Durations.seconds(1), 0, 1));
    }

    @Test
    void everyKindHasExactlyOneRecordAndEveryRecordSaysItsKind() {
        Set<WorkloadKind> kinds = EnumSet.noneOf(WorkloadKind.class);
        for (WorkloadSpec w : oneOfEach()) {
            kinds.add(w.kind());
        }
        assertEquals(EnumSet.allOf(WorkloadKind.class), kinds);
        assertEquals(
                WorkloadKind.values().length,
                WorkloadSpec.class.getPermittedSubclasses().length,
                "one record per kind: " + Arrays.toString(WorkloadSpec.class.getPermittedSubclasses()));
        Set<String> words =
                Arrays.stream(WorkloadKind.values()).map(WorkloadKind::yamlName).collect(Collectors.toSet());
        assertEquals(WorkloadKind.values().length, words.size(), "YAML words are unique: " + words);
    }

    @Test
    void everyKindStartsAProgram() {
        ClusterBuilder b = BlogClusters.twoNodes(3, KernelProfile.V6_18, Map.of(), false);
        oneOfEach().forEach(b::workload);
        b.service("default", "files", "10.96.0.11", 80, 8080, "server");
        ClusterResults r = b.build().run(Durations.seconds(3));
        assertEquals(1, r.downloadsCompleted(), r.summary());
        assertEquals(2, r.connectionsEstablished(), "the download and the connect loop's one connection");
    }

    @Test
    void aVethIsImpairedByALinkBetweenThePodAndItsNode() {
        LinkImpairments slow = LinkImpairments.delay(Durations.millis(5));
        Cluster c = BlogClusters.twoNodes(1, KernelProfile.V6_18, Map.of(), false)
                .link("client", "node-a", slow)
                .build();
        assertEquals(slow, c.links().get("client->node-a").impairments());
        assertEquals(LinkImpairments.veth(), c.links().get("node-a->client").impairments());
        assertEquals(LinkImpairments.veth(), c.links().get("server->node-b").impairments());
        ClusterSpecException e = assertThrows(
                ClusterSpecException.class,
                () -> BlogClusters.twoNodes(1, KernelProfile.V6_18, Map.of(), false)
                        .link("client", "node-b", slow)
                        .build());
        assertEquals(
                "link client->node-b does not join two different known nodes, or a known pod and its node",
                e.getMessage());
    }

    @Test
    void aServiceWithoutEndpointsIsRejectedAndPortsAreChecked() {
        Cluster c = BlogClusters.twoNodes(1, KernelProfile.V6_18, Map.of(), false)
                .service("default", "empty", "10.96.0.12", 80, 80)
                .build();
        String save = c.nodes().values().iterator().next().datapath().rules().save();
        org.junit.jupiter.api.Assertions.assertTrue(
                save.contains("-A KUBE-SERVICES -d 10.96.0.12/32 -p tcp -m comment --comment"
                        + " \"default/empty has no endpoints\" -m tcp --dport 80 -j REJECT --reject-with"
                        + " icmp-port-unreachable"),
                save);
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class, () -> ServicePortSpec.tcp(0, 80));
        assertEquals("service port: port 0 is not in 1..65535", port.getMessage());
    }
}
