package io.kpsim.netfilter.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.netfilter.KubeEndpoint;
import io.kpsim.netfilter.KubeNodePort;
import io.kpsim.netfilter.KubeService;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * kube-proxy's nftables rules per release against kube-proxy's own first-sync input for the same
 * Services (test resources {@code kube-proxy-n29.nft}, {@code -n29-liberal}, {@code -n30},
 * {@code -n34}, from 1.29.1, 1.30.3 and the 1.34 {@code TestOverallNFTablesRules} golden): the
 * table setup and the blocks of the ClusterIP Services {@code demo/one}, {@code demo/two} and
 * {@code demo/three}, and the ClusterIP of {@code demo/empty} (no endpoints: rejected), line for
 * line and in order; with NodePorts, also the NodePort Service {@code demo/np} (30004) and the
 * NodePort of {@code demo/empty} (30005, no endpoints), and the block of {@code ns3/svc3} (NodePort
 * 3003) in kube-proxy's ≥1.34 {@code TestOverallNFTablesRules} golden.
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
        return expected(resource, false);
    }

    /** kube-proxy's text for the setup and the three ClusterIP Services, with {@code demo/np} and the NodePorts. */
    private static String expected(String resource, boolean nodePorts) {
        StringBuilder out = new StringBuilder();
        for (String line : Resources.read(resource).split("\n")) {
            boolean demo = line.contains("demo/");
            boolean kept = line.contains("demo/one/")
                    || line.contains("demo/two/")
                    || line.contains("demo/three/")
                    || line.contains("{ 172.30.1.5 . tcp . 80 comment \"demo/empty:http\"")
                    || (nodePorts && line.contains("demo/np/"))
                    || (nodePorts && line.contains("no-endpoint-nodeports { tcp . 30005 comment \"demo/empty:http\""));
            String ip = line.startsWith("add element ip kube-proxy cluster-ips { ")
                    ? line.substring(line.indexOf("{ ") + 2, line.indexOf(" }"))
                    : null;
            boolean otherClusterIp = ip != null && !KEPT_IPS.contains(ip) && !(nodePorts && ip.equals("172.30.1.4"));
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

    private static List<KubeService> servicesWithNodePort() {
        List<KubeService> all = new ArrayList<>(services());
        all.add(svc("np", "172.30.1.4", "10.1.0.42:8080", "10.1.0.41:8080"));
        return all;
    }

    private static List<KubeNodePort> nodePorts(List<KubeService> services) {
        List<KubeNodePort> out = new ArrayList<>();
        for (KubeService k : services) {
            switch (k.name()) {
                case "np" -> out.add(new KubeNodePort(k, 30004));
                case "empty" -> out.add(new KubeNodePort(k, 30005));
                default -> {}
            }
        }
        return out;
    }

    private static String withNodePorts(KubeProxyNftBand band) {
        List<KubeService> services = servicesWithNodePort();
        return KubeProxyNftRules.text(services, nodePorts(services), band, CLUSTER_CIDR, SERVICE_CIDR, NODE_IP, false);
    }

    @Test
    void release129NodePortsMatchKubeProxy() {
        String text = withNodePorts(KubeProxyNftBand.N29);
        assertEquals(expected("kube-proxy-n29.nft", true), text);
        assertTrue(text.contains("add element ip kube-proxy service-nodeports { tcp . 30004 : goto"
                + " external-UWRDMH6B-demo/np/tcp/http }\n"));
    }

    @Test
    void release130NodePortsMatchKubeProxy() {
        assertEquals(expected("kube-proxy-n30.nft", true), withNodePorts(KubeProxyNftBand.N30));
    }

    @Test
    void release134NodePortsMatchKubeProxy() {
        assertEquals(expected("kube-proxy-n34.nft", true), withNodePorts(KubeProxyNftBand.N34));
    }

    /**
     * {@code ns3/svc3} of kube-proxy's ≥1.34 {@code TestOverallNFTablesRules} (kubernetes/kubernetes
     * {@code pkg/proxy/nftables/proxier_test.go}, newest stored version): a NodePort Service with one
     * endpoint. The golden is {@code knftables.Fake.Dump()} output, which orders objects its own way,
     * so the block is compared as a set of lines.
     */
    @Test
    void release134NodePortBlockMatchesKubeProxysGolden() {
        String svc = "4AT6LBPK-ns3/svc3/tcp/p80";
        String ep = "endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80";
        Set<String> golden = new TreeSet<>(List.of(
                "add chain ip kube-proxy service-" + svc,
                "add rule ip kube-proxy service-" + svc
                        + " ip daddr 172.30.0.43 ip saddr != 10.0.0.0/8 jump mark-for-masquerade",
                "add rule ip kube-proxy service-" + svc + " numgen random mod 1 vmap { 0 : goto " + ep + " }",
                "add chain ip kube-proxy external-" + svc,
                "add rule ip kube-proxy external-" + svc + " jump mark-for-masquerade",
                "add rule ip kube-proxy external-" + svc + " goto service-" + svc,
                "add chain ip kube-proxy " + ep,
                "add rule ip kube-proxy " + ep + " ip saddr 10.180.0.3 jump mark-for-masquerade",
                "add rule ip kube-proxy " + ep + " meta l4proto tcp dnat to 10.180.0.3:80",
                "add element ip kube-proxy cluster-ips { 172.30.0.43 }",
                "add element ip kube-proxy service-ips { 172.30.0.43 . tcp . 80 : goto service-" + svc + " }",
                "add element ip kube-proxy service-nodeports { tcp . 3003 : goto external-" + svc + " }"));
        KubeService svc3 = new KubeService(
                "ns3",
                "svc3",
                "p80",
                Protocol.TCP,
                Ip4.parse("172.30.0.43"),
                80,
                List.of(KubeEndpoint.parse("10.180.0.3:80")));
        String text = KubeProxyNftRules.text(
                List.of(svc3),
                List.of(new KubeNodePort(svc3, 3003)),
                KubeProxyNftBand.N34,
                CLUSTER_CIDR,
                SERVICE_CIDR,
                NODE_IP,
                false);
        Set<String> block = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (line.contains("ns3/svc3") || line.contains("172.30.0.43")) {
                block.add(line);
            }
        }
        assertEquals(golden, block);
    }

    @Test
    void aNodePortOfAnUnknownServiceIsRefused() {
        KubeService stranger = svc("stranger", "172.30.9.9", "10.1.9.9:8080");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> KubeProxyNftRules.text(
                        services(),
                        List.of(new KubeNodePort(stranger, 30099)),
                        KubeProxyNftBand.N30,
                        CLUSTER_CIDR,
                        SERVICE_CIDR,
                        NODE_IP,
                        false));
        assertEquals(
                "NodePort 30099 belongs to demo/stranger:http, which is not among the node's services", e.getMessage());
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
