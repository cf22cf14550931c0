package io.kpsim.netfilter.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.netfilter.KubeEndpoint;
import io.kpsim.netfilter.KubeService;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * kube-proxy's nftables rules per release against kube-proxy's own first-sync input for the same
 * Services (test resources {@code kube-proxy-n29.nft}, {@code -n29-liberal}, {@code -n30},
 * {@code -n34}, from 1.29.1, 1.30.3 and the 1.34 {@code TestOverallNFTablesRules} golden): the
 * table setup and the blocks of the ClusterIP Services {@code demo/one}, {@code demo/two} and
 * {@code demo/three}, and the ClusterIP of {@code demo/empty} (no endpoints: rejected), line for
 * line and in order.
 */
class KubeProxyNftRulesTest {

    private static final Cidr CLUSTER_CIDR = Cidr.parse("10.0.0.0/8");
    private static final Cidr SERVICE_CIDR = Cidr.parse("172.30.0.0/16");
    private static final int NODE_IP = Ip4.parse("192.168.0.2");
    private static final Set<String> KEPT_IPS = Set.of("172.30.1.1", "172.30.1.2", "172.30.1.3", "172.30.1.5");

    private static KubeService svc(String name, String ip, String... endpoints) {
        List<KubeEndpoint> eps = new ArrayList<>();
        for (String e : endpoints) {
            eps.add(KubeEndpoint.parse(e));
        }
        return new KubeService("demo", name, "http", Protocol.TCP, Ip4.parse(ip), 80, eps);
    }

    private static List<KubeService> services() {
        return List.of(
                svc("two", "172.30.1.2", "10.1.0.22:8080", "10.1.0.21:8080"),
                svc("three", "172.30.1.3", "10.1.0.31:8080", "10.1.0.32:8080", "10.1.0.33:8080"),
                svc("one", "172.30.1.1", "10.1.0.11:8080"),
                svc("empty", "172.30.1.5"));
    }

    /** kube-proxy's text for the setup and the three ClusterIP Services. */
    private static String expected(String resource) {
        StringBuilder out = new StringBuilder();
        for (String line : Resources.read(resource).split("\n")) {
            boolean demo = line.contains("demo/");
            boolean kept = line.contains("demo/one/")
                    || line.contains("demo/two/")
                    || line.contains("demo/three/")
                    || line.contains("{ 172.30.1.5 . tcp . 80 comment \"demo/empty:http\"");
            boolean otherClusterIp = line.startsWith("add element ip kube-proxy cluster-ips { ")
                    && !KEPT_IPS.contains(line.substring(line.indexOf("{ ") + 2, line.indexOf(" }")));
            if ((!demo && !otherClusterIp) || kept) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    @Test
    void release129MatchesKubeProxy() {
        assertEquals(
                expected("kube-proxy-n29.nft"),
                KubeProxyNftRules.text(services(), KubeProxyNftBand.N29, CLUSTER_CIDR, SERVICE_CIDR, NODE_IP, false));
    }

    @Test
    void release129WithBeLiberalLeavesTheInvalidDropOut() {
        String text =
                KubeProxyNftRules.text(services(), KubeProxyNftBand.N29, CLUSTER_CIDR, SERVICE_CIDR, NODE_IP, true);
        assertEquals(expected("kube-proxy-n29-liberal.nft"), text);
        assertTrue(!text.contains("ct state invalid"));
    }

    @Test
    void release130MatchesKubeProxy() {
        assertEquals(
                expected("kube-proxy-n30.nft"),
                KubeProxyNftRules.text(services(), KubeProxyNftBand.N30, CLUSTER_CIDR, SERVICE_CIDR, NODE_IP, false));
    }

    @Test
    void release134MatchesKubeProxy() {
        assertEquals(
                expected("kube-proxy-n34.nft"),
                KubeProxyNftRules.text(services(), KubeProxyNftBand.N34, CLUSTER_CIDR, SERVICE_CIDR, NODE_IP, false));
    }

    @Test
    void everyBandParsesAndRuns() {
        for (KubeProxyNftBand band : KubeProxyNftBand.values()) {
            String text = KubeProxyNftRules.text(services(), band, CLUSTER_CIDR, SERVICE_CIDR, NODE_IP, false);
            NftEngine engine = new NftEngine(NftParser.parse(band + ".nft", text));
            assertEquals(band == KubeProxyNftBand.N29 ? 6 : 8, engine.programs().size(), band.toString());
        }
    }

    @Test
    void versionsMapToBands() {
        assertEquals(KubeProxyNftBand.N29, KubeProxyNftBand.of("1.29"));
        assertEquals(KubeProxyNftBand.N30, KubeProxyNftBand.of("1.31"));
        assertEquals(KubeProxyNftBand.N34, KubeProxyNftBand.of("1.34"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KubeProxyNftBand.of("1.28"));
        assertEquals("kube-proxy 1.28 has no nftables mode (nftables mode exists in 1.29 … 1.34)", e.getMessage());
    }
}
