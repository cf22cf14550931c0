package io.kpsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.netfilter.nftables.KubeProxyNftBand;
import io.kpsim.netfilter.nftables.NftParser;
import io.kpsim.netfilter.nftables.NftPrinter;
import io.kpsim.report.RunReport;
import io.kpsim.report.TextReport;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code spec.kubeProxy.mode: nftables}: the blog's reset with kube-proxy's nftables rules per
 * release. 1.29 writes {@code ct state invalid drop} unless be_liberal is set at start, so the
 * forged segment is dropped; 1.30+ write none, so the client resets exactly as in 2019 on a kernel
 * without be_liberal; be_liberal prevents it everywhere; an operator's drop ({@code dropInvalid})
 * protects 1.34 too. Plus the spec's errors and {@code kpsim rules}' text.
 */
class NftablesModeTest {

    private static RunReport run(String... overrides) throws ScenarioException {
        Scenario s = ScenarioLoader.load(
                ScenarioLibraryTest.root().resolve("scenarios").resolve("blog-reset.yaml"), List.of(overrides));
        return ScenarioRun.run(s, new ScenarioRun.Options(true, null, false, null));
    }

    @Test
    void release129DropsTheInvalidSegment() throws Exception {
        RunReport r = run("spec.kubeProxy.mode=nftables", "spec.kubeProxy.version=1.29");
        String text = TextReport.render(r);
        assertEquals(0, r.metrics().resets(), text);
        assertEquals(1, r.metrics().invalidDropped(), text);
        assertTrue(text.contains("kube-proxy nftables 1.29, INVALID drop on"), text);
        assertTrue(text.contains("the nftables rule 'ct state invalid drop' dropped 1 INVALID packet"), text);
        assertTrue(text.contains("dropped by ip kube-proxy forward #1: ct state invalid drop"), text);
    }

    @Test
    void release129WithBeLiberalWritesNoDropAndNothingIsInvalid() throws Exception {
        RunReport r = run(
                "spec.kubeProxy.mode=nftables",
                "spec.kubeProxy.version=1.29",
                "spec.sysctls.net.netfilter.nf_conntrack_tcp_be_liberal=1");
        assertEquals(0, r.metrics().resets());
        assertEquals(0, r.metrics().invalid());
        assertTrue(TextReport.render(r).contains("kube-proxy nftables 1.29, INVALID drop off"));
    }

    @Test
    void releases130To134ResetAsIn2019() throws Exception {
        for (String v : List.of("1.30", "1.33", "1.34")) {
            RunReport r = run("spec.kubeProxy.mode=nftables", "spec.kubeProxy.version=" + v);
            String text = TextReport.render(r);
            assertEquals(1, r.metrics().resets(), v + "\n" + text);
            assertEquals(0, r.metrics().invalidDropped(), v);
            assertTrue(text.contains("The first reset"), text);
        }
    }

    @Test
    void anOperatorsInvalidDropProtects134() throws Exception {
        RunReport r = run("spec.kubeProxy.mode=nftables", "spec.kubeProxy.dropInvalid=true");
        String text = TextReport.render(r);
        assertEquals(0, r.metrics().resets(), text);
        assertEquals(1, r.metrics().invalidDropped(), text);
        assertTrue(text.contains("kube-proxy nftables 1.34, INVALID drop on"), text);
        assertTrue(text.contains("ip kpsim-fix forward #1: ct state invalid drop"), text);
    }

    @Test
    void theSpecBindsModeAndVersion() throws Exception {
        Scenario s = ScenarioLoader.parse(
                ErrorsTest.BASE + "  kubeProxy: {mode: nftables, version: \"1.31\"}\n", "t.yaml", List.of());
        assertEquals(Optional.of(KubeProxyNftBand.N30), s.spec().kubeProxy().nftables());
        assertEquals("nftables", s.spec().kubeProxy().mode());
        Scenario d = ScenarioLoader.parse(ErrorsTest.BASE + "  kubeProxy: {mode: nftables}\n", "t.yaml", List.of());
        assertEquals(Optional.of("1.34"), d.spec().kubeProxy().version());
        assertEquals(
                "iptables",
                ScenarioLoader.parse(ErrorsTest.BASE, "t.yaml", List.of())
                        .spec()
                        .kubeProxy()
                        .mode());
    }

    @Test
    void badModesAndVersionsAreRefusedWhereTheyAre() {
        assertEquals(
                List.of("t.yaml:23:21: spec.kubeProxy.mode: unknown value 'nft' (expected one of: iptables, nftables)"),
                ErrorsTest.problems(ErrorsTest.BASE + "  kubeProxy: {mode: nft}\n"));
        assertEquals(
                List.of("t.yaml:23:40: spec.kubeProxy.version: kube-proxy 1.28 has no nftables mode"
                        + " (nftables mode exists in 1.29 … 1.34)"),
                ErrorsTest.problems(ErrorsTest.BASE + "  kubeProxy: {mode: nftables, version: \"1.28\"}\n"));
        assertEquals(
                List.of("t.yaml:23:24: spec.kubeProxy.version: kube-proxy 1.13 is not modelled"
                        + " (releases 1.14 … 1.34)"),
                ErrorsTest.problems(ErrorsTest.BASE + "  kubeProxy: {version: \"1.13\"}\n"));
        assertEquals(
                List.of("t.yaml:23:24: spec.kubeProxy.version: '2.0' is not a kube-proxy release"
                        + " (expected 1.14 … 1.34, e.g. 1.29)"),
                ErrorsTest.problems(ErrorsTest.BASE + "  kubeProxy: {version: \"2.0\"}\n"));
    }

    @Test
    void rulesPrintsTheNodesNftRulesetAsNftListsIt() throws Exception {
        Scenario s = ScenarioLoader.load(
                ScenarioLibraryTest.root().resolve("scenarios").resolve("blog-reset.yaml"),
                List.of("spec.kubeProxy.mode=nftables", "spec.kubeProxy.version=1.30"));
        String text = ScenarioRun.rules(s.spec(), s.spec().nodes().get(0).name());
        assertTrue(text.startsWith("table ip kube-proxy {\n"), text);
        assertTrue(text.contains("type filter hook forward priority -110; policy accept;"), text);
        assertTrue(text.contains("numgen random mod 1 vmap"), text);
        assertEquals(text, NftPrinter.print(NftParser.parse("again.nft", text)), "prints what it reads");
    }
}
