package io.kpsim.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kpsim.netfilter.KubeEndpoint;
import io.kpsim.netfilter.KubeNodePort;
import io.kpsim.netfilter.KubeService;
import io.kpsim.netfilter.nftables.KubeProxyNftBand;
import io.kpsim.netfilter.nftables.KubeProxyNftRules;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.UdpDatagram;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * kube-proxy's nftables NodePort rules as kpsim writes them ({@link KubeProxyNftRules}, every
 * release) in the real kernel: loaded with {@code nft -f} into the nftables oracle's node namespace
 * and probed at the node's NodePorts; each outcome must be the one expected here (DNAT to an
 * endpoint with the source masqueraded, the no-endpoints reject, local delivery where no NodePort
 * matches) and one kpsim's model gives for the same text and packet. 1.29 accepts NodePorts on every
 * local address, 1.30+ only on the node's primary IP ({@code nodeport-ips}), which the probe to the
 * node's second address tells apart. Skips without root, network namespaces or {@code nft}.
 */
class KubeProxyNftNodePortOracleTest {

    private static final int EXTERNAL = NftOraclePlan.externalClients().get(0);

    @BeforeAll
    static void machine() {
        String problems = OracleMachineCheck.summary();
        Assumptions.assumeTrue(problems == null, problems);
        Commands.Result nft = Commands.exec(List.of("nft", "--version"));
        Assumptions.assumeTrue(nft.ok(), "needs 'nft' on PATH (Debian: nftables): " + nft.firstErrorLine());
    }

    private static String text(KubeProxyNftBand band) {
        List<Integer> pods = NftOraclePlan.pods();
        List<Integer> vips = NftOraclePlan.clusterIps();
        KubeService web = new KubeService(
                "demo",
                "web",
                "http",
                Protocol.TCP,
                vips.get(0),
                80,
                List.of(new KubeEndpoint(pods.get(0), 8080), new KubeEndpoint(pods.get(1), 8080)));
        KubeService dns = new KubeService(
                "demo", "dns", "dns", Protocol.UDP, vips.get(1), 53, List.of(new KubeEndpoint(pods.get(2), 53)));
        KubeService empty = new KubeService("demo", "empty", "http", Protocol.TCP, vips.get(2), 80, List.of());
        return KubeProxyNftRules.text(
                List.of(web, dns, empty),
                List.of(new KubeNodePort(web, 30004), new KubeNodePort(dns, 30006), new KubeNodePort(empty, 30005)),
                band,
                NftOraclePlan.CLUSTER_CIDR,
                NftOraclePlan.SERVICE_CIDR,
                NftOraclePlan.NODE_IP,
                false);
    }

    private static Packet syn(int dst, int dport, int sport) {
        return Packet.tcp(
                EXTERNAL,
                dst,
                new TcpSegment(sport, dport, 1_000_000, 0, TcpFlags.SYN, 64240, 0, TcpOptions.syn(1460, 7, true), 0));
    }

    @ParameterizedTest
    @EnumSource(KubeProxyNftBand.class)
    void theKernelDnatsAndMasqueradesNodePortsAsTheModelDoes(KubeProxyNftBand band) {
        String node = Ip4.format(NftOraclePlan.NODE_IP);
        String pod0 = Ip4.format(NftOraclePlan.pods().get(0));
        String pod1 = Ip4.format(NftOraclePlan.pods().get(1));
        String pod2 = Ip4.format(NftOraclePlan.pods().get(2));
        String masq = Ip4.format(NftOraclePlan.NODE_POD_SIDE_IP) + ":*";
        String ext = Ip4.format(EXTERNAL);
        int second = NftOraclePlan.NODE_POD_SIDE_IP;
        List<Packet> probes = List.of(
                syn(NftOraclePlan.NODE_IP, 30004, 40001),
                Packet.udp(EXTERNAL, NftOraclePlan.NODE_IP, new UdpDatagram(40002, 30006, 12)),
                syn(NftOraclePlan.NODE_IP, 30005, 40003),
                syn(NftOraclePlan.NODE_IP, 30099, 40004),
                syn(second, 30004, 40005));
        List<Set<String>> wanted = List.of(
                Set.of("FORWARD tcp " + masq + " > " + pod0 + ":8080", "FORWARD tcp " + masq + " > " + pod1 + ":8080"),
                Set.of("FORWARD udp " + masq + " > " + pod2 + ":53"),
                Set.of("REJECT icmp 3/3 " + node + " > " + ext + " [tcp " + ext + ":40003 > " + node + ":30005]"),
                Set.of("LOCAL"),
                band == KubeProxyNftBand.N29
                        ? Set.of(
                                "FORWARD tcp " + masq + " > " + pod0 + ":8080",
                                "FORWARD tcp " + masq + " > " + pod1 + ":8080")
                        : Set.of("LOCAL"));
        String text = text(band);
        List<String> problems = new ArrayList<>();
        try (NftOracleNode kernel = NftOracleNode.create()) {
            assertNull(kernel.load(text), "nft -f refused kpsim's " + band + " NodePort rules:\n" + text);
            NftOracleModel model = new NftOracleModel(band + ".nft", text, kernel.plan());
            for (int i = 0; i < probes.size(); i++) {
                Packet p = probes.get(i);
                String seen = kernel.probe(p, false);
                Set<String> modelSays = model.outcomes(p, false);
                if (!wanted.get(i).contains(seen)
                        || !modelSays.contains(seen)
                        || !wanted.get(i).containsAll(modelSays)) {
                    problems.add(
                            p + ":\n  kernel: " + seen + "\n  model:  " + modelSays + "\n  wanted: " + wanted.get(i));
                }
            }
        }
        assertEquals(List.of(), problems, band.toString());
    }
}
