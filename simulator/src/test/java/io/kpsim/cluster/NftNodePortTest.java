package io.kpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.ConnSnapshot;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.engine.Durations;
import io.kpsim.netfilter.nftables.KubeProxyNftBand;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Protocol;
import io.kpsim.tcp.TcpSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * NodePorts in nftables mode: every release's rules ({@link KubeProxyNftNode}) DNAT a connection
 * to {@code <node IP>:<nodePort>} through {@code @service-nodeports} and the Service's
 * {@code external-} chain, which marks it for masquerade, so the endpoint sees the node's bridge
 * address, as in iptables mode.
 */
class NftNodePortTest {

    private static final KernelProfile K = KernelProfile.V6_18;

    private static ClusterBuilder cluster(KubeProxyNftBand band) {
        ServiceSpec files = new ServiceSpec(
                "default",
                "files",
                Ip4.parse("10.96.0.10"),
                List.of(new ServicePortSpec("http", 80, 8080, Protocol.TCP, 30080)),
                List.of("server"));
        return new ClusterBuilder(7)
                .nftables(band)
                .node("node-a", "10.0.0.1", "10.244.0.0/24", K, Map.of(), false)
                .node("node-b", "10.0.0.2", "10.244.1.0/24", K, Map.of(), false)
                .pod("client", "node-a", "10.244.0.2")
                .pod("server", "node-b", "10.244.1.2")
                .service(files)
                .workload(new FileServerSpec("server", 8080, 1 << 20, true))
                .workload(new DownloadClientSpec("client", Ip4.parse("10.0.0.2"), 30080, 1 << 20, 1, 1, 0));
    }

    @ParameterizedTest
    @EnumSource(KubeProxyNftBand.class)
    void aNodePortIsDnatedAndMasqueradedByTheNodeItIsSentTo(KubeProxyNftBand band) {
        Cluster c = cluster(band).build();
        c.run(Durations.millis(2));
        List<TcpSocket> open = c.pod("server").openConnections();
        assertEquals(1, open.size(), band.toString());
        assertEquals(Ip4.parse("10.244.1.1"), open.get(0).remoteIp(), "masquerade: node-b's address on cni0");
        List<ConnSnapshot> entries =
                c.node("node-b").conntrack().list(c.simulation().now());
        assertEquals(1, entries.size());
        assertEquals(Ip4.parse("10.0.0.2"), entries.get(0).original().dstIp());
        assertEquals(30080, entries.get(0).original().dstPort());
        assertEquals(Ip4.parse("10.244.1.2"), entries.get(0).reply().srcIp(), "DNAT to the endpoint");
        assertEquals(Ip4.parse("10.244.1.1"), entries.get(0).reply().dstIp(), "SNAT to node-b's bridge address");
        ClusterResults r = c.run(Durations.seconds(1));
        assertEquals(1, r.downloadsCompleted(), r.summary());
    }

    @ParameterizedTest
    @EnumSource(KubeProxyNftBand.class)
    void theRulesetListsTheNodePortOnEveryNode(KubeProxyNftBand band) {
        ClusterBuilder b = cluster(band);
        for (String node : List.of("node-a", "node-b")) {
            String text = b.nftablesRuleset(node);
            assertTrue(text.contains("\t\telements = { tcp . 30080 : goto external-"), text);
            assertTrue(text.contains("\tchain external-"), text);
        }
        assertTrue(
                b.nftablesRuleset("node-b")
                        .contains(band == KubeProxyNftBand.N29 ? "fib daddr type local" : "10.0.0.2"),
                "1.29 accepts NodePorts on every local address, 1.30+ on the node's primary IP");
    }
}
