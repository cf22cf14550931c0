package io.kpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.engine.Simulation;
import io.kpsim.netfilter.KubeEndpoint;
import io.kpsim.netfilter.KubeProxyConfig;
import io.kpsim.netfilter.KubeProxyIptablesRelease;
import io.kpsim.netfilter.KubeProxyRules;
import io.kpsim.netfilter.KubeService;
import io.kpsim.netfilter.NetInterface;
import io.kpsim.netfilter.NodeDatapath;
import io.kpsim.netfilter.PathResult;
import io.kpsim.netfilter.Route;
import io.kpsim.netfilter.Ruleset;
import io.kpsim.netfilter.nftables.KubeProxyNftBand;
import io.kpsim.netfilter.nftables.KubeProxyNftRules;
import io.kpsim.netfilter.nftables.NftEngine;
import io.kpsim.netfilter.nftables.NftParser;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.tcp.CloseReason;
import io.kpsim.tcp.SocketHandler;
import io.kpsim.tcp.TcpConfig;
import io.kpsim.tcp.TcpSocket;
import io.kpsim.tcp.TcpStack;
import io.kpsim.tcp.TcpState;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client connecting to a Service without endpoints is refused: its SYN crosses the client's
 * node, whose kube-proxy rules (iptables mode: filter KUBE-SERVICES {@code "… has no endpoints" -j
 * REJECT}; nftables mode: {@code no-endpoint-services} → {@code reject-chain}) answer it with an
 * ICMP port unreachable, which the client's TCP takes as {@code tcp_v4_err()} does: the attempt
 * ends in SYN_SENT (ECONNREFUSED) at once, no SYN retransmitted. The node has a default route, as
 * real nodes do, so the ClusterIP reaches FORWARD.
 */
class ServiceWithoutEndpointsTest {

    private static final long MS = 1_000_000L;
    private static final int CLIENT = Ip4.parse("10.244.1.5");
    private static final int EMPTY = Ip4.parse("10.96.0.30");
    private static final int WEB = Ip4.parse("10.96.0.20");
    private static final Cidr CLUSTER = Cidr.parse("10.244.0.0/16");

    private static List<KubeService> services() {
        return List.of(
                new KubeService("default", "empty", "http", Protocol.TCP, EMPTY, 80, List.of()),
                new KubeService(
                        "default",
                        "web",
                        "http",
                        Protocol.TCP,
                        WEB,
                        80,
                        List.of(KubeEndpoint.parse("10.244.2.7:8080"))));
    }

    private static NodeDatapath node(Ruleset rules) {
        return new NodeDatapath(
                new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 7),
                rules,
                List.of(
                        new NetInterface("eth0", Ip4.parse("192.168.1.10")),
                        new NetInterface("cni0", Ip4.parse("10.244.1.1"))),
                List.of(new Route(Cidr.parse("10.244.1.0/24"), "cni0"), new Route(Cidr.parse("0.0.0.0/0"), "eth0")),
                7);
    }

    /** Connects from the client to {@code vip}:80 through {@code node}: how it ended, what the node did. */
    private static Outcome connect(NodeDatapath node, int vip) {
        Simulation sim = new Simulation();
        List<PathResult> results = new ArrayList<>();
        TcpStack[] client = new TcpStack[1];
        client[0] = new TcpStack(
                CLIENT,
                sim,
                new SplittableRandom(11),
                p -> {
                    PathResult r = node.receive(p, "cni0", sim.now());
                    results.add(r);
                    if (r.rejected()
                            && r.reject().sent() != null
                            && "cni0".equals(r.reject().outInterface())) {
                        Packet reply = r.reject().sent();
                        sim.schedule(MS / 10, () -> client[0].receive(reply));
                    }
                },
                TcpConfig.linux());
        AtomicReference<CloseReason> closed = new AtomicReference<>();
        TcpSocket socket = client[0].connect(vip, 80, new SocketHandler() {
            @Override
            public void onClosed(TcpSocket s, CloseReason reason) {
                closed.set(reason);
            }
        });
        sim.runUntil(3_000 * MS);
        return new Outcome(closed.get(), socket.state(), results);
    }

    private record Outcome(CloseReason closed, TcpState state, List<PathResult> results) {}

    private static void assertRefused(Outcome o) {
        assertEquals(CloseReason.UNREACHABLE, o.closed(), "the SYN was answered by an ICMP port unreachable");
        assertEquals(TcpState.CLOSED, o.state());
        assertEquals(1, o.results().size(), "one SYN, refused at once: no retransmission");
        PathResult r = o.results().get(0);
        assertTrue(r.rejected(), r.narrative());
        Packet icmp = r.reject().sent();
        assertEquals(IcmpMessage.DEST_UNREACH, icmp.icmp().type());
        assertEquals(3, icmp.icmp().code(), "port unreachable");
        assertEquals(CLIENT, icmp.dstIp());
        assertEquals(EMPTY, icmp.icmp().quoted().dstIp());
    }

    @ParameterizedTest
    @ValueSource(ints = {14, 15, 20, 25, 28, 31, 34})
    void iptablesModeRefusesTheConnection(int minor) {
        KubeProxyConfig config = KubeProxyConfig.of(CLUSTER, true).withRelease(new KubeProxyIptablesRelease(minor));
        assertRefused(connect(node(KubeProxyRules.ruleset(services(), config)), EMPTY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"N29", "N30", "N34"})
    void nftablesModeRefusesTheConnection(String band) {
        NodeDatapath node = node(Ruleset.empty());
        String text = KubeProxyNftRules.text(
                services(),
                KubeProxyNftBand.valueOf(band),
                CLUSTER,
                Cidr.parse("10.96.0.0/12"),
                Ip4.parse("192.168.1.10"),
                false);
        node.rules(null, new NftEngine(NftParser.parse(band + ".nft", text)).programs());
        assertRefused(connect(node, EMPTY));
    }

    @ParameterizedTest
    @ValueSource(ints = {14, 34})
    void aServiceWithEndpointsIsDnatedInstead(int minor) {
        KubeProxyConfig config = KubeProxyConfig.of(CLUSTER, true).withRelease(new KubeProxyIptablesRelease(minor));
        Outcome o = connect(node(KubeProxyRules.ruleset(services(), config)), WEB);
        assertTrue(o.results().get(0).accepted());
        assertEquals(Ip4.parse("10.244.2.7"), o.results().get(0).out().dstIp());
        assertEquals(TcpState.SYN_SENT, o.state(), "no answer in this test: the SYN is retransmitted");
        assertTrue(o.results().size() > 1);
    }
}
