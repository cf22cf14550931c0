package io.kpsim.scenario;

import static io.kpsim.scenario.ErrorsTest.BASE;
import static io.kpsim.scenario.ErrorsTest.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kpsim.cluster.DownloadClientSpec;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --set key.path=value} overrides: applied before binding, reported by their own text. */
class OverridesTest {

    private static ScenarioSpec load(String... overrides) throws ScenarioException {
        return ScenarioLoader.parse(BASE, "t.yaml", List.of(overrides)).spec();
    }

    @Test
    void scalarsAreReplaced() throws ScenarioException {
        ScenarioSpec spec = load("spec.kernel=4.19", "spec.seed=42", "spec.duration=1m");
        assertEquals(KernelProfile.V4_19, spec.kernel());
        assertEquals(42L, spec.seed());
        assertEquals(60_000_000_000L, spec.durationNanos());
    }

    @Test
    void missingMappingsAreCreated() throws ScenarioException {
        ScenarioSpec spec = load("spec.kubeProxy.dropInvalid=true", "spec.kubeProxy.clusterCIDR=10.244.0.0/16");
        assertEquals(true, spec.kubeProxy().dropInvalid());
        assertEquals(Cidr.parse("10.244.0.0/16"), spec.kubeProxy().clusterCidr().orElseThrow());
    }

    @Test
    void listItemsAreAddressedByIndex() throws ScenarioException {
        ScenarioSpec spec =
                load("spec.workloads[1].count=20", "spec.workloads[1].parallel=5", "spec.pods[1].ip=10.244.2.7");
        DownloadClientSpec download = (DownloadClientSpec) spec.workloads().get(1);
        assertEquals(20, download.downloads());
        assertEquals(5, download.parallel());
        assertEquals(Ip4.parse("10.244.2.7"), spec.pods().get(1).ip());
    }

    @Test
    void valuesAreYamlSoListsAndMappingsWork() throws ScenarioException {
        ScenarioSpec spec = load(
                "spec.links=[{between: [node-a, node-b], loss: 1%}]",
                "spec.links[0].delay=2ms", "spec.expect.invalid=\">= 1\"");
        assertEquals(0.01, spec.links().get(0).loss());
        assertEquals(2_000_000L, spec.links().get(0).delayNanos());
        assertEquals(
                List.of(
                        new Expectation(Metric.RESETS, Comparison.EQ, 0),
                        new Expectation(Metric.INVALID, Comparison.GE, 1)),
                spec.expectations());
    }

    @Test
    void laterOverridesWin() throws ScenarioException {
        assertEquals(7L, load("spec.seed=3", "spec.seed=7").seed());
    }

    @Test
    void sysctlNamesKeepTheirDots() {
        List<Overrides.Step> steps = Overrides.parsePath("spec.sysctls.net.netfilter.nf_conntrack_tcp_be_liberal");
        assertEquals(
                List.of(
                        new Overrides.Step("spec", List.of()),
                        new Overrides.Step("sysctls", List.of()),
                        new Overrides.Step("net.netfilter.nf_conntrack_tcp_be_liberal", List.of())),
                steps);
        assertEquals(
                List.of(
                        new Overrides.Step("spec", List.of()),
                        new Overrides.Step("links", List.of(0, 2)),
                        new Overrides.Step("loss", List.of())),
                Overrides.parsePath("spec.links[0][2].loss"));
        assertNull(Overrides.parsePath("spec..x"));
        assertNull(Overrides.parsePath("spec.links[x]"));
        assertNull(Overrides.parsePath(""));
    }

    @Test
    void unknownKeysAreReportedByTheOverride() {
        assertEquals(
                List.of("--set spec.foo=1: unknown key 'foo' under spec (expected one of: seed, duration, kernel,"
                        + " sysctls, kubeProxy, nodes, pods, services, links, workloads, injections, expect)"),
                problems(BASE, "spec.foo=1"));
        assertEquals(
                List.of("--set spec.kubeProxy.dropInvalid=yes please: spec.kubeProxy.dropInvalid: expected true or"
                        + " false, found 'yes please'"),
                problems(BASE, "spec.kernel=6.18", "spec.kubeProxy.dropInvalid=yes please"));
        assertEquals(
                List.of("--set spec.kubeproxy.dropInvalid=true: unknown key 'kubeproxy' under spec (did you mean"
                        + " 'kubeProxy'?)"),
                problems(BASE, "spec.kubeproxy.dropInvalid=true"));
    }

    @Test
    void badValuesAreReportedByTheOverride() {
        assertEquals(
                List.of("--set spec.nodes[0].ip=10.244.1.7: spec.nodes[0].ip: 10.244.1.7 is inside the node's own"
                        + " podCIDR 10.244.1.0/24 (expected a node address outside every pod CIDR)"),
                problems(BASE, "spec.nodes[0].ip=10.244.1.7"));
        assertEquals(
                List.of("--set spec.workloads[1]={kind: download, pod: client, service: files:80, count: 0}:"
                        + " spec.workloads[1].count: 0 is out of range (expected 1..1000000)"),
                problems(BASE, "spec.workloads[1]={kind: download, pod: client, service: files:80, count: 0}"));
        assertEquals(
                List.of("--set spec.kernel=[1,: the value is not valid YAML: expected the node content, but found"
                        + " '<stream end>' (while parsing a flow node)"),
                problems(BASE, "spec.kernel=[1,"));
        assertEquals(
                List.of(
                        "--set spec.kernel=2.6: spec.kernel: kernel '2.6' is older than the oldest profile (4.14); kpsim"
                                + " models 4.14, 4.19, 5.4, 5.10, 5.15, 6.1, 6.6, 6.12, 6.18"),
                problems(BASE, "spec.kernel=2.6"));
    }

    @Test
    void badPathsAreReported() {
        assertEquals(
                List.of(
                        "--set spec.links[0].loss=0.01: spec.links does not exist, so it has no item [0]",
                        "--set spec.workloads[5].count=2: spec.workloads[5] does not exist (spec.workloads has 2 items)",
                        "--set spec.duration.x=1: cannot set 'x': spec.duration is '10s', not a mapping",
                        "--set spec: no '=' after the key (expected KEY.PATH=VALUE with keys separated by '.' and list items as"
                                + " [N], e.g. spec.links[0].loss=0.01)",
                        "--set spec..x=1: bad key path 'spec..x' (expected KEY.PATH=VALUE with keys separated by '.' and list"
                                + " items as [N], e.g. spec.links[0].loss=0.01)",
                        "--set spec.seed[0]=1: spec.seed is '1', not a list, so it has no item [0]"),
                problems(
                        BASE.replace("  duration: 10s\n", "  duration: 10s\n  seed: 1\n"),
                        "spec.links[0].loss=0.01",
                        "spec.workloads[5].count=2",
                        "spec.duration.x=1",
                        "spec",
                        "spec..x=1",
                        "spec.seed[0]=1"));
    }

    @Test
    void overrideProblemsComeBeforeFileProblems() {
        assertEquals(
                List.of(
                        "--set spec.foo=1: unknown key 'foo' under spec (expected one of: seed, duration, kernel,"
                                + " sysctls, kubeProxy, nodes, pods, services, links, workloads, injections, expect)",
                        "t.yaml:1:13: apiVersion: 'v1' is not supported (expected kpsim/v1)"),
                problems(BASE.replace("kpsim/v1", "v1"), "spec.foo=1"));
    }
}
