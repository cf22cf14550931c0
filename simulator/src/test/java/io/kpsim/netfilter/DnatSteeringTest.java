package io.kpsim.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.TcpFlags;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A connection's endpoint taken from the node's own copy of its first packet: every
 * {@code -m statistic} draw of kube-proxy's cascade is steered to the branch that DNATs there,
 * the seeded stream advances the same way either way, and a destination no branch reaches leaves
 * the draws to the seed.
 */
class DnatSteeringTest {

    private static final List<KubeEndpoint> THREE = List.of(
            new KubeEndpoint(Ip4.parse("10.244.2.7"), 8080),
            new KubeEndpoint(Ip4.parse("10.244.3.8"), 8080),
            new KubeEndpoint(Ip4.parse("10.244.4.9"), 8080));

    private static String dnatOfNewConnection(NodeFixture f, int port) {
        PathResult r = f.node.receive(
                NodeFixture.tcp(NodeFixture.C, port, NodeFixture.VIP, 80, TcpFlags.SYN, 1000, 0, 0), "cni0", f.now++);
        return Ip4.format(r.out().dstIp(), r.out().dstPort());
    }

    @Test
    void eachEndpointIsReachedWhenTheCaptureShowsIt() {
        for (KubeEndpoint wanted : THREE) {
            NodeFixture f = new NodeFixture(KernelProfile.V6_18, false, 7, THREE);
            for (int port = 40000; port < 40030; port++) {
                f.node.steerNextDnat(wanted.ip(), wanted.port());
                assertEquals(Ip4.format(wanted.ip(), wanted.port()), dnatOfNewConnection(f, port));
                assertEquals(Skb.STEERED, f.node.lastStatisticDraws(), "the endpoint came from the capture");
            }
        }
    }

    @Test
    void connectionsTheCaptureDoesNotShowGetTheSeedsEndpointsDeterministically() {
        List<List<String>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            NodeFixture f = new NodeFixture(KernelProfile.V6_18, false, 7, THREE);
            List<String> unsteered = new ArrayList<>();
            for (int port = 40000; port < 40060; port++) {
                if (port % 2 == 0) {
                    f.node.steerNextDnat(THREE.get(2).ip(), 8080);
                    assertEquals("10.244.4.9:8080", dnatOfNewConnection(f, port));
                } else {
                    unsteered.add(dnatOfNewConnection(f, port));
                    assertEquals(Skb.DRAWN, f.node.lastStatisticDraws());
                }
            }
            assertEquals(3, unsteered.stream().distinct().count(), "the seed spreads over all three: " + unsteered);
            runs.add(unsteered);
        }
        assertEquals(runs.get(0), runs.get(1), "the same packets, wishes and seed give the same endpoints");
    }

    @Test
    void aDestinationNoRuleReachesIsLeftToTheSeed() {
        NodeFixture plain = new NodeFixture(KernelProfile.V6_18, false, 11, THREE);
        NodeFixture steered = new NodeFixture(KernelProfile.V6_18, false, 11, THREE);
        for (int port = 40000; port < 40010; port++) {
            steered.node.steerNextDnat(Ip4.parse("10.9.9.9"), 8080);
            assertEquals(dnatOfNewConnection(plain, port), dnatOfNewConnection(steered, port));
            assertEquals(Skb.DRAWN, steered.node.lastStatisticDraws());
        }
    }
}
