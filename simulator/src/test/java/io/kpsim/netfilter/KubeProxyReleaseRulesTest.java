package io.kpsim.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each kube-proxy release's iptables rules against expected text, rule by rule in the kernel's
 * {@code iptables-save} dialect (both sides loaded by kpsim's restore and printed back, so only
 * option order and {@code /32} differ from kube-proxy's dialect; chain names are never
 * normalised, kpsim computes kube-proxy's hashes).
 *
 * <ul>
 *   <li>{@code iptables-1.28-clusterip.rules} and {@code -1.31-}: kube-proxy's own expected
 *       {@code iptables-restore} input, {@code TestOverallIPTablesRulesWithMultipleServices} (≈1.27–1.28,
 *       search index id 44324665236) and {@code TestOverallIPTablesRules} (≥1.31, id 191206484) of
 *       {@code pkg/proxy/iptables/proxier_test.go}, transcribed for the services kpsim models: svc1
 *       (ClusterIP, one endpoint), svc4's ClusterIP (two endpoints) and svc6 (no endpoints). The test
 *       proxier's fake iptables has no {@code --random-fully} and writes mark {@code 0x4000}. These
 *       compare verbatim, kube-proxy's dialect and order included.
 *   <li>1.14, 1.16 … 1.22: kube-proxy's tests of those releases assert single rules
 *       ({@code TestClusterIPReject}, {@code TestClusterIPEndpointsJump}, {@code TestMasqueradeRule} in
 *       openshift/sdn release-4.2 and release-4.3); {@link #olderReleasesPassKubeProxysStructuralTests}
 *       does the same.
 *   <li>{@code -1.14-}, {@code -1.18-}, {@code -1.23-}, {@code -1.24-}, {@code -1.25-}: the restore
 *       text of those releases' {@code syncProxyRules()}, read from openshift/sdn's vendored trees (the
 *       research note {@code kube-proxy-profiles.md}, Appendix A, demo/one, demo/two, demo/empty).
 * </ul>
 */
class KubeProxyReleaseRulesTest {

    private static final Cidr CLUSTER = Cidr.parse("10.0.0.0/8");

    static List<KubeService> overallServices() {
        return List.of(
                service("ns1", "svc1", "172.30.0.41", 80, "10.180.0.1:80"),
                service("ns4", "svc4", "172.30.0.44", 80, "10.180.0.4:80", "10.180.0.5:80"),
                service("ns6", "svc6", "172.30.0.46", 80));
    }

    static List<KubeService> demoServices() {
        return List.of(
                service("demo", "two", "172.30.1.2", 80, "10.1.0.21:8080", "10.1.0.22:8080"),
                service("demo", "one", "172.30.1.1", 80, "10.1.0.11:8080"),
                service("demo", "empty", "172.30.1.5", 80));
    }

    private static KubeService service(String ns, String name, String ip, int port, String... endpoints) {
        List<KubeEndpoint> eps = new ArrayList<>();
        for (String e : endpoints) {
            eps.add(KubeEndpoint.parse(e));
        }
        String portName = ns.equals("demo") ? "http" : "p80";
        return new KubeService(ns, name, portName, Protocol.TCP, Ip4.parse(ip), port, eps);
    }

    private static KubeProxyConfig config(int minor, boolean randomFully) {
        return new KubeProxyConfig(CLUSTER, minor >= 15, randomFully, 14, new KubeProxyIptablesRelease(minor));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = KubeProxyReleaseRulesTest.class.getResourceAsStream("/kube-proxy/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource /kube-proxy/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "28, iptables-1.28-clusterip.rules",
        "31, iptables-1.31-clusterip.rules",
        "34, iptables-1.31-clusterip.rules"
    })
    void kubeProxysOwnGoldenVerbatim(int minor, String file) throws IOException {
        String expected = resource(file);
        String actual = KubeProxyRules.restoreText(overallServices(), config(minor, false));
        assertEquals(expected, actual);
    }

    @ParameterizedTest
    @CsvSource({
        "14, iptables-1.14-clusterip.rules",
        "18, iptables-1.18-clusterip.rules",
        "23, iptables-1.23-clusterip.rules",
        "24, iptables-1.24-clusterip.rules",
        "25, iptables-1.25-clusterip.rules",
        "26, iptables-1.25-clusterip.rules"
    })
    void releaseRulesMatchTheReleasesCodeRuleByRule(int minor, String file) throws IOException {
        String expected = IptablesRestore.parse(resource(file)).save();
        String actual = IptablesRestore.parse(KubeProxyRules.restoreText(demoServices(), config(minor, minor >= 16)))
                .save();
        assertEquals(expected, actual);
    }

    static IntStream releases() {
        return IntStream.rangeClosed(KubeProxyIptablesRelease.FIRST, KubeProxyIptablesRelease.LAST);
    }

    @ParameterizedTest
    @MethodSource("releases")
    void olderReleasesPassKubeProxysStructuralTests(int minor) {
        KubeService svc = service("ns1", "svc1", "10.20.30.41", 80, "10.180.0.1:80");
        KubeService none = service("ns2", "svc2", "10.20.30.42", 80);
        Ruleset rules = KubeProxyRules.ruleset(List.of(svc, none), config(minor, true));
        String svcChain = KubeChainNames.serviceChain("ns1/svc1:p80", Protocol.TCP);
        String epChain = KubeChainNames.endpointChain("ns1/svc1:p80", Protocol.TCP, "10.180.0.1:80");
        TableRules nat = rules.table(Table.NAT);
        // TestClusterIPEndpointsJump
        assertTrue(saved(nat.chain("KUBE-SERVICES"))
                .contains(
                        "-d 10.20.30.41/32 -p tcp -m comment --comment \"ns1/svc1:p80 cluster IP\" -m tcp --dport 80 -j "
                                + svcChain));
        assertTrue(saved(nat.chain(svcChain)).stream().anyMatch(r -> r.endsWith("-j " + epChain)));
        assertTrue(saved(nat.chain(epChain)).stream().anyMatch(r -> r.endsWith("--to-destination 10.180.0.1:80")));
        // TestClusterIPReject: a REJECT in filter KUBE-SERVICES and no service chain
        assertTrue(saved(rules.table(Table.FILTER).chain("KUBE-SERVICES"))
                .contains("-d 10.20.30.42/32 -p tcp -m comment --comment \"ns2/svc2:p80 has no endpoints\" -m tcp"
                        + " --dport 80 -j REJECT --reject-with icmp-port-unreachable"));
        assertEquals(null, nat.chain(KubeChainNames.serviceChain("ns2/svc2:p80", Protocol.TCP)));
        // TestMasqueradeRule (1.16+): MASQUERADE, with --random-fully exactly when iptables has it
        List<String> post = saved(nat.chain("KUBE-POSTROUTING"));
        assertEquals(minor >= 16, post.get(post.size() - 1).endsWith("-j MASQUERADE --random-fully"), post::toString);
        Ruleset without = KubeProxyRules.ruleset(List.of(svc), config(minor, false));
        List<String> plain = saved(without.table(Table.NAT).chain("KUBE-POSTROUTING"));
        assertTrue(plain.get(plain.size() - 1).endsWith("-j MASQUERADE"), plain::toString);
    }

    @ParameterizedTest
    @MethodSource("releases")
    void everyReleaseLoadsSavesAndReparses(int minor) {
        Ruleset rules = KubeProxyRules.ruleset(demoServices(), config(minor, true));
        String save = rules.save();
        assertEquals(rules, IptablesRestore.parse(save));
        List<String> forward = saved(rules.table(Table.FILTER).chain("KUBE-FORWARD"));
        assertEquals(minor >= 15, forward.get(0).startsWith("-m conntrack --ctstate INVALID"), forward::toString);
        assertEquals(minor >= 31, forward.get(0).contains("--nfacct-name  ct_state_invalid_dropped_pkts"));
        assertEquals(minor >= 17, rules.table(Table.MANGLE).chain("KUBE-PROXY-CANARY") != null);
        assertEquals(minor >= 25, rules.table(Table.FILTER).chain("KUBE-PROXY-FIREWALL") != null);
        assertEquals(minor <= 26, rules.table(Table.NAT).chain("KUBE-MARK-DROP") != null);
    }

    @ParameterizedTest
    @CsvSource({
        "14, 'KUBE-SERVICES,KUBE-EXTERNAL-SERVICES,KUBE-FIREWALL', 'KUBE-FORWARD,KUBE-SERVICES'",
        "19, 'KUBE-SERVICES,KUBE-EXTERNAL-SERVICES,KUBE-FIREWALL', 'KUBE-FORWARD,KUBE-SERVICES'",
        "20, 'KUBE-EXTERNAL-SERVICES,KUBE-FIREWALL', 'KUBE-FORWARD,KUBE-SERVICES,KUBE-EXTERNAL-SERVICES'",
        "21, 'KUBE-NODEPORTS,KUBE-EXTERNAL-SERVICES,KUBE-FIREWALL', 'KUBE-FORWARD,KUBE-SERVICES,KUBE-EXTERNAL-SERVICES'",
        "25, 'KUBE-PROXY-FIREWALL,KUBE-NODEPORTS,KUBE-EXTERNAL-SERVICES,KUBE-FIREWALL',"
                + " 'KUBE-PROXY-FIREWALL,KUBE-FORWARD,KUBE-SERVICES,KUBE-EXTERNAL-SERVICES'",
        "27, 'KUBE-FIREWALL,KUBE-PROXY-FIREWALL,KUBE-NODEPORTS,KUBE-EXTERNAL-SERVICES',"
                + " 'KUBE-PROXY-FIREWALL,KUBE-FORWARD,KUBE-SERVICES,KUBE-EXTERNAL-SERVICES'"
    })
    void baseJumpsPerRelease(int minor, String input, String forward) {
        Ruleset rules = KubeProxyRules.ruleset(demoServices(), config(minor, true));
        assertEquals(List.of(input.split(",")), jumps(rules.table(Table.FILTER).chain("INPUT")));
        assertEquals(
                List.of(forward.split(",")), jumps(rules.table(Table.FILTER).chain("FORWARD")));
    }

    @ParameterizedTest
    @ValueSource(ints = {14, 18, 19, 34})
    void unnamedPortsKeepTheirColonUpTo118(int minor) {
        KubeService unnamed = new KubeService(
                "ns1",
                "svc1",
                "",
                Protocol.TCP,
                Ip4.parse("172.30.1.1"),
                80,
                List.of(KubeEndpoint.parse("10.0.1.1:80")));
        String text = KubeProxyRules.restoreText(List.of(unnamed), config(minor, true));
        String name = minor <= 18 ? "ns1/svc1:" : "ns1/svc1";
        assertTrue(text.contains("--comment \"" + name + " cluster IP\""), text);
        assertTrue(text.contains(KubeChainNames.serviceChain(name, Protocol.TCP)), text);
        assertNotEquals(
                KubeChainNames.serviceChain("ns1/svc1:", Protocol.TCP),
                KubeChainNames.serviceChain("ns1/svc1", Protocol.TCP));
    }

    @ParameterizedTest
    @CsvSource({
        "14, 1.14",
        "16, 1.16",
        "25, 1.25–1.26",
        "26, 1.25–1.26",
        "28, 1.27–1.28",
        "30, 1.29–1.30",
        "34, 1.31–1.34"
    })
    void shapesNameTheirReleases(int minor, String shape) {
        assertEquals(shape, new KubeProxyIptablesRelease(minor).shape());
    }

    @ParameterizedTest
    @CsvSource({"16, 0.33333, 0.50000", "17, 0.3333333333, 0.5000000000"})
    void probabilitiesHaveTheReleasesDigits(int minor, String third, String half) {
        KubeProxyIptablesRelease r = new KubeProxyIptablesRelease(minor);
        assertEquals(third, r.probability(3));
        assertEquals(half, r.probability(2));
    }

    @ParameterizedTest
    @ValueSource(ints = {15, 22, 23})
    void endpointsAreOrderedAsTheReleasesCacheHandsThemOut(int minor) {
        List<KubeEndpoint> eps = List.of(
                KubeEndpoint.parse("10.0.0.2:90"),
                KubeEndpoint.parse("10.0.0.10:80"),
                KubeEndpoint.parse("10.0.0.2:80"));
        List<String> got = KubeServiceRules.ordered(eps, new KubeProxyIptablesRelease(minor)).stream()
                .map(KubeEndpoint::toString)
                .toList();
        List<String> expected = switch (minor) {
            case 15 -> List.of("10.0.0.2:90", "10.0.0.10:80", "10.0.0.2:80");
            case 22 -> List.of("10.0.0.10:80", "10.0.0.2:90", "10.0.0.2:80");
            default -> List.of("10.0.0.10:80", "10.0.0.2:80", "10.0.0.2:90");
        };
        assertEquals(expected, got);
        assertFalse(got.isEmpty());
    }

    private static List<String> saved(Chain chain) {
        return chain.rules().stream().map(Rule::saveText).toList();
    }

    private static List<String> jumps(Chain chain) {
        return chain.rules().stream()
                .map(r -> ((JumpTarget) r.target()).chain())
                .toList();
    }
}
