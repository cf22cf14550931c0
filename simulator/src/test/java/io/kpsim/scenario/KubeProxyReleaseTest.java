package io.kpsim.scenario;

import static io.kpsim.scenario.ErrorsTest.BASE;
import static io.kpsim.scenario.ErrorsTest.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.cluster.NodeSpec;
import io.kpsim.conntrack.Sysctls;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code spec.kubeProxy.version} in iptables mode (the INVALID drop per release) and
 * {@code spec.kubeProxy.conntrack} (the sysctls kube-proxy writes at start-up, per release).
 */
class KubeProxyReleaseTest {

    private static ScenarioSpec spec(String kubeProxy, String... overrides) throws ScenarioException {
        return ScenarioLoader.parse(BASE + "  kubeProxy: " + kubeProxy + "\n", "t.yaml", List.of(overrides))
                .spec();
    }

    private static boolean nodesDrop(ScenarioSpec spec) {
        boolean drop = spec.nodes().get(0).dropInvalid();
        assertTrue(spec.nodes().stream().allMatch(n -> n.dropInvalid() == drop));
        return drop;
    }

    @Test
    void releasesParseAndSayWhatTheyDo() {
        assertEquals(29, KubeProxyRelease.parse("1.29").minor());
        assertEquals(29, KubeProxyRelease.parse("v1.29.3").minor());
        assertEquals("1.14", KubeProxyRelease.parse(" 1.14 ").label());
        for (String bad : new String[] {"1", "1.", "1.x", "2.29", "1.29.3.1", "", "1.-1"}) {
            assertThrows(IllegalArgumentException.class, () -> KubeProxyRelease.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new KubeProxyRelease(35));
        assertFalse(new KubeProxyRelease(14).iptablesDropsInvalid(false));
        assertTrue(new KubeProxyRelease(15).iptablesDropsInvalid(false));
        assertTrue(new KubeProxyRelease(28).iptablesDropsInvalid(true)); // 1.28 ignores be_liberal
        assertTrue(new KubeProxyRelease(29).iptablesDropsInvalid(false));
        assertFalse(new KubeProxyRelease(29).iptablesDropsInvalid(true)); // PR 120412
        assertFalse(new KubeProxyRelease(28).hasBeLiberalFlag());
        assertTrue(new KubeProxyRelease(29).hasBeLiberalFlag());
        assertTrue(new KubeProxyRelease(23).raisesOnly());
        assertFalse(new KubeProxyRelease(22).raisesOnly());
        assertFalse(new KubeProxyRelease(29).raisesOnly());
    }

    @Test
    void theIptablesReleaseDecidesTheNodesInvalidDrop() throws ScenarioException {
        assertFalse(nodesDrop(spec("{version: \"1.14\"}")));
        assertTrue(nodesDrop(spec("{version: \"1.14\", dropInvalid: true}"))); // the operator's rule
        assertTrue(nodesDrop(spec("{version: \"1.15\"}")));
        assertTrue(nodesDrop(spec("{version: \"1.28\"}", "spec.sysctls.nf_conntrack_tcp_be_liberal=1")));
        assertTrue(nodesDrop(spec("{version: \"1.29\"}")));
        ScenarioSpec liberal = spec("{version: \"1.29\"}", "spec.sysctls.nf_conntrack_tcp_be_liberal=1");
        assertFalse(nodesDrop(liberal));
        assertFalse(liberal.kubeProxy().invalidDropped(true));
        // without a version, only dropInvalid decides (kpsim's 2019 model, as before)
        assertFalse(nodesDrop(spec("{dropInvalid: false}")));
        // the rules the node runs follow
        String rules = ScenarioRun.rules(spec("{version: \"1.20\"}"), "node-a");
        assertTrue(rules.contains("-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP"), rules);
        assertFalse(ScenarioRun.rules(spec("{version: \"1.14\"}"), "node-a").contains("--ctstate INVALID"));
    }

    @Test
    void kubeProxyWritesItsConntrackSysctlsOverTheNodes() throws ScenarioException {
        ScenarioSpec none = spec("{version: \"1.30\"}");
        assertEquals(432000L, established(none.conntrackSysctls())); // the kernel's 5 days: no conntrack key
        ScenarioSpec defaults = spec("{version: \"1.30\", conntrack: {}}");
        Map<String, Long> s = defaults.conntrackSysctls().asMap();
        assertEquals(131072L, s.get("net.netfilter.nf_conntrack_max")); // max(32768 x 1, 131072)
        assertEquals(86400L, s.get("net.netfilter.nf_conntrack_tcp_timeout_established"));
        assertEquals(3600L, s.get("net.netfilter.nf_conntrack_tcp_timeout_close_wait"));
        assertEquals(0L, s.get("net.netfilter.nf_conntrack_tcp_be_liberal"));
        // the nodes run what kube-proxy wrote
        for (NodeSpec n : defaults.nodes()) {
            assertEquals(defaults.conntrackSysctls(), n.sysctls());
        }
        ScenarioSpec eight = spec("{conntrack: {cores: 8, tcpEstablishedTimeout: 2h, tcpCloseWaitTimeout: 0s}}");
        Map<String, Long> e = eight.conntrackSysctls().asMap();
        assertEquals(262144L, e.get("net.netfilter.nf_conntrack_max"));
        assertEquals(7200L, e.get("net.netfilter.nf_conntrack_tcp_timeout_established"));
        assertEquals(60L, e.get("net.netfilter.nf_conntrack_tcp_timeout_close_wait")); // 0 leaves it alone
        ScenarioSpec kind = spec("{conntrack: {maxPerCore: 0}}", "spec.sysctls.nf_conntrack_max=1000");
        assertEquals(1000L, kind.conntrackSysctls().asMap().get("net.netfilter.nf_conntrack_max"));
    }

    @Test
    void releases123To128OnlyRaiseValues() throws ScenarioException {
        String higher = "spec.sysctls.nf_conntrack_max=500000";
        assertEquals(500000L, max(spec("{version: \"1.25\", conntrack: {}}", higher)));
        assertEquals(131072L, max(spec("{version: \"1.22\", conntrack: {}}", higher)));
        assertEquals(131072L, max(spec("{version: \"1.29\", conntrack: {}}", higher)));
    }

    @Test
    void theBeLiberalFlagSetsTheSysctlAndTakes129sDropAway() throws ScenarioException {
        ScenarioSpec flag = spec("{version: \"1.29\", conntrack: {tcpBeLiberal: true}}");
        assertTrue(flag.conntrackSysctls().tcpBeLiberal());
        assertFalse(nodesDrop(flag));
        ScenarioSpec nft = spec("{mode: nftables, version: \"1.29\", conntrack: {tcpBeLiberal: true}}");
        assertFalse(nft.kubeProxy().invalidDropped(nft.conntrackSysctls().tcpBeLiberal()));
        assertTrue(nft.nodes().get(0).sysctls().tcpBeLiberal());
        assertEquals(
                List.of("t.yaml:23:58: spec.kubeProxy.conntrack.tcpBeLiberal: kube-proxy 1.28 has no"
                        + " --conntrack-tcp-be-liberal (added in 1.29, kubernetes PR 120354); set"
                        + " spec.sysctls.nf_conntrack_tcp_be_liberal instead"),
                problems(BASE + "  kubeProxy: {version: \"1.28\", conntrack: {tcpBeLiberal: true}}\n"));
        assertEquals(
                List.of("t.yaml:23:34: spec.kubeProxy.conntrack.cores: 0 is out of range (expected 1..2147483647)"),
                problems(BASE + "  kubeProxy: {conntrack: {cores: 0}}\n"));
        assertEquals(
                1,
                problems(BASE + "  kubeProxy: {conntrack: {maxPerCore: 1}}\n", "spec.kubeProxy.conntrack.x=1")
                        .size());
    }

    private static long established(Sysctls s) {
        return s.asMap().get("net.netfilter.nf_conntrack_tcp_timeout_established");
    }

    private static long max(ScenarioSpec s) {
        return s.conntrackSysctls().asMap().get("net.netfilter.nf_conntrack_max");
    }
}
