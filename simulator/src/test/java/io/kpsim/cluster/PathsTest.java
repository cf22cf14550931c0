package io.kpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.ConnSnapshot;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.engine.Durations;
import io.kpsim.netfilter.Table;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Protocol;
import io.kpsim.tcp.TcpConfig;
import io.kpsim.tcp.TcpSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The path pieces of a cluster, end to end: a route per node sends one direction through a third
 * node; a named second link carries what a route names it for; a hostNetwork pod is its node's own
 * stack (INPUT and OUTPUT, never FORWARD); a NodePort is DNATed and masqueraded by the node it is
 * sent to.
 */
class PathsTest {

    private static final KernelProfile K = KernelProfile.V6_18;
    private static final String VIP = "10.96.0.10";

    private static NodeSpec withRoute(NodeSpec n, String to, String via, String link) {
        return n.withRoutes(List.of(new NodeRoute(Cidr.parse(to), via, link)));
    }

    /** The three-node cluster with node-a's route to node-b's pods through node-c. */
    private static Cluster viaNodeC(boolean dropInvalid) {
        NodeSpec a = new NodeSpec(
                "node-a",
                Ip4.parse("10.0.0.1"),
                Cidr.parse("10.244.0.0/24"),
                io.kpsim.conntrack.Sysctls.defaults(K),
                dropInvalid);
        ClusterBuilder b = new ClusterBuilder(7)
                .node(withRoute(a, "10.244.1.0/24", "node-c", ""))
                .node("node-b", "10.0.0.2", "10.244.1.0/24", K, Map.of(), dropInvalid)
                .node("node-c", "10.0.0.3", "10.244.2.0/24", K, Map.of(), dropInvalid)
                .pod("client", "node-a", "10.244.0.2")
                .pod("server", "node-b", "10.244.1.2")
                .service("default", "files", VIP, 80, 8080, "server")
                .workload(new FileServerSpec("server", 8080, 64 << 10, true))
                .workload(new DownloadClientSpec("client", Ip4.parse(VIP), 80, 64 << 10, 2, 1, 0));
        return b.build();
    }

    @Test
    void aRouteSendsOneDirectionThroughAThirdNodeWhoseConntrackSeesHalfTheConnection() {
        Cluster c = viaNodeC(false);
        assertEquals("eth2", c.node("node-a").datapath().route(Ip4.parse("10.244.1.2")), "node-c is node index 2");
        assertEquals("eth0", c.node("node-b").datapath().route(Ip4.parse("10.244.0.2")), "the CNI's route back");
        ClusterResults r = c.run(Durations.seconds(2));
        assertEquals(2, r.downloadsCompleted(), r.summary());
        assertTrue(r.links().get("node-a->node-c").offered() > 0, r.links().toString());
        assertTrue(r.links().get("node-c->node-b").offered() > 0, r.links().toString());
        assertEquals(0, r.links().get("node-a->node-b").offered(), "nothing takes the direct wire from node-a");
        assertTrue(r.links().get("node-b->node-a").offered() > 0, "replies come straight back");
        assertEquals(0, r.links().get("node-c->node-a").offered(), "node-c never sees a reply");
        assertTrue(r.invalidPerNode().get("node-c") > 0, "the client's segments are INVALID at node-c");
        assertEquals(0L, r.invalidPerNode().get("node-a"));
        assertEquals(0L, r.invalidPerNode().get("node-b"));
    }

    @Test
    void withTheInvalidDropTheHalfSeenConnectionNeverCompletes() {
        ClusterResults r = viaNodeC(true).run(Durations.seconds(2));
        assertEquals(0, r.downloadsCompleted(), r.summary());
        assertTrue(r.invalidDropped() > 0, r.summary());
        assertEquals(0, r.resets(), r.summary());
    }

    @Test
    void aSecondLinkCarriesOnlyWhatARouteNamesItFor() {
        NodeSpec a = new NodeSpec(
                "node-a",
                Ip4.parse("10.0.0.1"),
                Cidr.parse("10.244.0.0/24"),
                io.kpsim.conntrack.Sysctls.defaults(K),
                false);
        Cluster c = new ClusterBuilder(7)
                .node(withRoute(a, "10.244.1.0/24", "node-b", "backup"))
                .node("node-b", "10.0.0.2", "10.244.1.0/24", K, Map.of(), false)
                .secondLink("node-a", "node-b", "backup", LinkImpairments.delay(Durations.micros(50)))
                .pod("client", "node-a", "10.244.0.2")
                .pod("server", "node-b", "10.244.1.2")
                .service("default", "files", VIP, 80, 8080, "server")
                .workload(new FileServerSpec("server", 8080, 64 << 10, true))
                .workload(new DownloadClientSpec("client", Ip4.parse(VIP), 80, 64 << 10, 1, 1, 0))
                .build();
        assertEquals("backup", c.node("node-a").datapath().route(Ip4.parse("10.244.1.2")));
        ClusterResults r = c.run(Durations.seconds(1));
        assertEquals(1, r.downloadsCompleted(), r.summary());
        assertTrue(
                r.links().get("node-a->node-b/backup").offered() > 0, r.links().toString());
        assertEquals(0, r.links().get("node-a->node-b").offered());
        assertEquals(0, r.links().get("node-b->node-a/backup").offered(), "node-b answers over its first link");
        assertTrue(r.links().get("node-b->node-a").offered() > 0);
    }

    @Test
    void aHostNetworkEndpointIsTheNodesOwnStackReachedThroughInputNotForward() {
        Cluster c = new ClusterBuilder(7)
                .node("node-a", "10.0.0.1", "10.244.0.0/24", K, Map.of(), true)
                .node("node-b", "10.0.0.2", "10.244.1.0/24", K, Map.of(), true)
                .pod("client", "node-a", "10.244.0.2")
                .pod(new PodSpec("agent", "node-b", Ip4.parse("10.0.0.2"), TcpConfig.linux(), true))
                .service("default", "agent", VIP, 80, 8080, "agent")
                .workload(new FileServerSpec("agent", 8080, 64 << 10, true))
                .workload(new DownloadClientSpec("client", Ip4.parse(VIP), 80, 64 << 10, 1, 1, 0))
                .build();
        Node b = c.node("node-b");
        assertSame(b.host(), c.pod("agent"), "a hostNetwork pod is its node's own stack");
        assertTrue(b.host().isHost());
        assertEquals(Ip4.parse("10.0.0.2"), b.host().ip());
        ClusterResults r = c.run(Durations.seconds(1));
        assertEquals(1, r.downloadsCompleted(), r.summary());
        var counters = b.datapath().counters();
        assertTrue(counters.policyPackets(Table.FILTER, "INPUT") > 0, "the client's packets went through INPUT");
        assertTrue(counters.policyPackets(Table.FILTER, "OUTPUT") > 0, "the agent's packets went through OUTPUT");
        assertEquals(0, counters.policyPackets(Table.FILTER, "FORWARD"), "node-b forwarded nothing");
    }

    @Test
    void hostNetworkPodsOfOneNodeShareItsStackAndMustAgreeOnTcp() {
        ClusterBuilder b = new ClusterBuilder(7)
                .node("node-a", "10.0.0.1", "10.244.0.0/24", K, Map.of(), false)
                .pod(new PodSpec("x", "node-a", Ip4.parse("10.0.0.1"), TcpConfig.linux(), true))
                .pod(new PodSpec(
                        "y", "node-a", Ip4.parse("10.0.0.1"), TcpConfig.linux().withMss(1400), true));
        ClusterSpecException e = assertThrows(ClusterSpecException.class, b::build);
        assertEquals(
                "hostNetwork pods x and y share node node-a's TCP stack but have different tcp settings",
                e.getMessage());
        ClusterSpecException wrongIp = assertThrows(
                ClusterSpecException.class,
                () -> new ClusterBuilder(7)
                        .node("node-a", "10.0.0.1", "10.244.0.0/24", K, Map.of(), false)
                        .pod(new PodSpec("x", "node-a", Ip4.parse("10.0.0.9"), TcpConfig.linux(), true))
                        .build());
        assertEquals("hostNetwork pod x has address 10.0.0.9, not its node's 10.0.0.1", wrongIp.getMessage());
    }

    @Test
    void aNodePortIsDnatedAndMasqueradedByTheNodeItIsSentTo() {
        ServiceSpec files = new ServiceSpec(
                "default",
                "files",
                Ip4.parse(VIP),
                List.of(new ServicePortSpec("http", 80, 8080, Protocol.TCP, 30080)),
                List.of("server"));
        Cluster c = new ClusterBuilder(7)
                .node("node-a", "10.0.0.1", "10.244.0.0/24", K, Map.of(), true)
                .node("node-b", "10.0.0.2", "10.244.1.0/24", K, Map.of(), true)
                .pod("client", "node-a", "10.244.0.2")
                .pod("server", "node-b", "10.244.1.2")
                .service(files)
                .workload(new FileServerSpec("server", 8080, 1 << 20, true))
                .workload(new DownloadClientSpec("client", Ip4.parse("10.0.0.2"), 30080, 1 << 20, 1, 1, 0))
                .build();
        c.run(Durations.millis(2));
        List<TcpSocket> open = c.pod("server").openConnections();
        assertEquals(1, open.size());
        assertEquals(Ip4.parse("10.244.1.1"), open.get(0).remoteIp(), "MASQUERADE: node-b's address on cni0");
        List<ConnSnapshot> entries =
                c.node("node-b").conntrack().list(c.simulation().now());
        assertEquals(1, entries.size());
        assertEquals(Ip4.parse("10.0.0.2"), entries.get(0).original().dstIp());
        assertEquals(30080, entries.get(0).original().dstPort());
        assertEquals(
                0,
                c.node("node-a").conntrack().list(c.simulation().now()).stream()
                        .filter(e -> e.reply().srcIp() != e.original().dstIp())
                        .count(),
                "node-a only forwards: no NAT there");
        ClusterResults r = c.run(Durations.seconds(1));
        assertEquals(1, r.downloadsCompleted(), r.summary());
    }

    @Test
    void routesAndSecondLinksAreCheckedWithTheObjectsTheyName() {
        NodeSpec a = new NodeSpec(
                "node-a",
                Ip4.parse("10.0.0.1"),
                Cidr.parse("10.244.0.0/24"),
                io.kpsim.conntrack.Sysctls.defaults(K),
                false);
        ClusterSpecException unknown = assertThrows(
                ClusterSpecException.class,
                () -> new ClusterBuilder(7)
                        .node(withRoute(a, "10.9.0.0/16", "node-x", ""))
                        .node("node-b", "10.0.0.2", "10.244.1.0/24", K, Map.of(), false)
                        .build());
        assertEquals(
                "node node-a route to 10.9.0.0/16: next hop node-x is not another known node", unknown.getMessage());
        ClusterSpecException noLink = assertThrows(
                ClusterSpecException.class,
                () -> new ClusterBuilder(7)
                        .node(withRoute(a, "10.9.0.0/16", "node-b", "backup"))
                        .node("node-b", "10.0.0.2", "10.244.1.0/24", K, Map.of(), false)
                        .build());
        assertEquals(
                "node node-a route to 10.9.0.0/16: no second link backup between node-a and node-b",
                noLink.getMessage());
        ClusterSpecException badName = assertThrows(
                ClusterSpecException.class,
                () -> new ClusterBuilder(7)
                        .node(a)
                        .node("node-b", "10.0.0.2", "10.244.1.0/24", K, Map.of(), false)
                        .secondLink("node-a", "node-b", "eth1", LinkImpairments.delay(0))
                        .build());
        assertTrue(
                badName.getMessage().startsWith("second link name 'eth1' is not a free device name"),
                badName.getMessage());
    }
}
