package io.kpsim.bench;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.netfilter.Chain;
import io.kpsim.netfilter.IptablesRestore;
import io.kpsim.netfilter.IptablesSave;
import io.kpsim.netfilter.KubeEndpoint;
import io.kpsim.netfilter.KubeProxyConfig;
import io.kpsim.netfilter.KubeProxyRules;
import io.kpsim.netfilter.KubeService;
import io.kpsim.netfilter.NetInterface;
import io.kpsim.netfilter.NodeDatapath;
import io.kpsim.netfilter.PathResult;
import io.kpsim.netfilter.Policy;
import io.kpsim.netfilter.Route;
import io.kpsim.netfilter.Ruleset;
import io.kpsim.netfilter.Table;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * kube-proxy's rules at large-cluster size ({@code services} Services with three endpoints each:
 * one KUBE-SERVICES rule, a KUBE-SVC chain of four rules and three KUBE-SEP chains of two, about
 * 11 rules per Service, so 10,000 Services are about 110,000 rules):
 *
 * <ul>
 *   <li>{@code newPacket}: one NEW TCP SYN from a pod to a random Service's ClusterIP per
 *       operation, through PREROUTING (conntrack, nat: KUBE-SERVICES, KUBE-SVC, KUBE-SEP, DNAT) and
 *       FORWARD, whose policy here is DROP so that no conntrack entry is kept and every packet is
 *       NEW. {@code walk=linear} tests the rules one by one as {@code ipt_do_table()} does;
 *       {@code walk=indexed} uses the dispatch index on runs of {@code -d VIP/32} rules. Both run
 *       in one JMH run; the results are the same packet for packet
 *       ({@code DispatchIndexTest});</li>
 *   <li>{@code load}: the node's whole {@code iptables-save} text read by
 *       {@link IptablesRestore#parse} and compiled into a {@link NodeDatapath}, what
 *       {@code kpsim trace --iptables-save} does before its first packet.</li>
 * </ul>
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ServiceDispatchBenchmark {

    private static final int POD_CIDR_BASE = 0x0af40000; // 10.244.0.0
    private static final int VIP_BASE = 0x0a600000; // 10.96.0.0
    private static final int PACKETS = 4096;

    /** The rules, their text, a node, and the packets. */
    @State(Scope.Thread)
    public static class Node {
        @Param({"1000", "10000"})
        public int services;

        @Param({"indexed", "linear"})
        public String walk;

        String text;
        NodeDatapath node;
        Packet[] packets;
        int next;
        long now = 1_000_000_000L;

        @Setup(Level.Trial)
        public void build() {
            List<KubeService> list = new ArrayList<>();
            for (int i = 0; i < services; i++) {
                List<KubeEndpoint> eps = new ArrayList<>();
                for (int e = 0; e < 3; e++) {
                    eps.add(new KubeEndpoint(POD_CIDR_BASE + (1 << 16) + i * 4 + e + 1, 8080));
                }
                list.add(new KubeService("ns", "svc" + i, "http", Protocol.TCP, VIP_BASE + i + 1, 80, eps));
            }
            Ruleset rules = KubeProxyRules.ruleset(list, KubeProxyConfig.of(Cidr.parse("10.244.0.0/16"), false));
            Chain forward = rules.table(Table.FILTER).chain("FORWARD");
            rules = rules.with(Table.FILTER, new Chain("FORWARD", Policy.DROP, forward.rules()));
            text = IptablesSave.render(rules);
            node = load(text);
            node.linearWalk(walk.equals("linear"));
            SplittableRandom r = new SplittableRandom(13);
            packets = new Packet[PACKETS];
            for (int i = 0; i < PACKETS; i++) {
                int vip = VIP_BASE + 1 + r.nextInt(services);
                TcpSegment syn =
                        new TcpSegment(20000 + i, 80, r.nextInt(), 0, TcpFlags.SYN, 64240, 0, TcpOptions.NONE, 0);
                packets[i] = Packet.tcp(POD_CIDR_BASE + 0x0101 + (i & 0xff), vip, syn);
            }
            PathResult first = node.receive(packets[0], "cni0", now);
            if (!first.dnat() || first.accepted()) {
                throw new IllegalStateException("expected a DNATed packet dropped by FORWARD's policy: " + first);
            }
        }
    }

    static NodeDatapath load(String text) {
        Conntrack ct = new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 1);
        return new NodeDatapath(
                ct,
                IptablesRestore.parse(text),
                List.of(new NetInterface("eth0", 0xc0a80002), new NetInterface("cni0", POD_CIDR_BASE + 1)),
                List.of(new Route(Cidr.parse("10.244.0.0/24"), "cni0"), new Route(Cidr.parse("0.0.0.0/0"), "eth0")),
                1);
    }

    /** One NEW packet to a random Service. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public boolean newPacket(Node n) {
        Packet p = n.packets[n.next++ & (PACKETS - 1)];
        n.now += 1_000;
        return n.node.receiveWalk(p, "cni0", true, n.now).accepted();
    }

    /** The node's iptables-save text read and compiled. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2)
    @Measurement(iterations = 5)
    public NodeDatapath load(Node n) {
        return load(n.text);
    }
}
