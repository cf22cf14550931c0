package io.kpsim.scenario;

import static io.kpsim.scenario.ErrorsTest.BASE;
import static io.kpsim.scenario.ErrorsTest.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code spec.sysctls}: real names, checked by {@link io.kpsim.conntrack.Sysctls} for the scenario's kernel. */
class SysctlsTest {

    private static String withSysctls(String kernel, String... lines) {
        StringBuilder sb = new StringBuilder("  duration: 10s\n  kernel: " + kernel + "\n  sysctls:\n");
        for (String line : lines) {
            sb.append("    ").append(line).append('\n');
        }
        return BASE.replace("  duration: 10s\n", sb.toString());
    }

    @Test
    void settingsKeepDocumentOrderAndReachTheModel() throws ScenarioException {
        ScenarioSpec spec = ScenarioLoader.parse(
                        withSysctls(
                                "6.18",
                                "net.netfilter.nf_conntrack_tcp_be_liberal: 1",
                                "net.netfilter.nf_conntrack_max: 1000"),
                        "t.yaml",
                        List.of())
                .spec();
        assertEquals(
                List.of(
                        Map.entry("net.netfilter.nf_conntrack_tcp_be_liberal", "1"),
                        Map.entry("net.netfilter.nf_conntrack_max", "1000")),
                List.copyOf(spec.sysctls().entrySet()));
        assertTrue(spec.conntrackSysctls().tcpBeLiberal());
        assertEquals(1000L, spec.conntrackSysctls().asMap().get("net.netfilter.nf_conntrack_max"));
    }

    @Test
    void overrideWithDottedName() throws ScenarioException {
        ScenarioSpec spec = ScenarioLoader.parse(
                        BASE, "t.yaml", List.of("spec.sysctls.net.netfilter.nf_conntrack_tcp_be_liberal=1"))
                .spec();
        assertTrue(spec.conntrackSysctls().tcpBeLiberal());
        assertFalse(ScenarioLoader.parse(BASE, "t.yaml", List.of())
                .spec()
                .conntrackSysctls()
                .tcpBeLiberal());
    }

    @Test
    void unknownNamesPointAtTheKeyBadValuesAtTheValue() {
        assertEquals(
                List.of(
                        "t.yaml:9:5: spec.sysctls: unknown sysctl 'net.netfilter.nf_conntrack_tcp_be_libral' (did you mean"
                                + " 'net.netfilter.nf_conntrack_tcp_be_liberal'?)",
                        "t.yaml:10:34: spec.sysctls: sysctl net.netfilter.nf_conntrack_tcp_be_liberal: 'yes' is not a number",
                        "t.yaml:11:48: spec.sysctls: sysctl net.netfilter.nf_conntrack_tcp_be_liberal: 2 is out of range 0..1"),
                problems(withSysctls(
                        "6.18",
                        "net.netfilter.nf_conntrack_tcp_be_libral: 1",
                        "nf_conntrack_tcp_be_liberal: yes",
                        "net/netfilter/nf_conntrack_tcp_be_liberal: 2")));
    }

    @Test
    void namesTheKernelDoesNotHave() {
        assertEquals(
                List.of("t.yaml:9:5: spec.sysctls: sysctl net.netfilter.nf_conntrack_tcp_ignore_invalid_rst does"
                        + " not exist on kernel 4.19"),
                problems(withSysctls("4.19", "net.netfilter.nf_conntrack_tcp_ignore_invalid_rst: 1")));
        // The same file is fine on 6.18 and wrong once the kernel is overridden.
        assertEquals(
                List.of("t.yaml:9:5: spec.sysctls: sysctl net.netfilter.nf_conntrack_tcp_ignore_invalid_rst does"
                        + " not exist on kernel 4.19"),
                problems(
                        withSysctls("6.18", "net.netfilter.nf_conntrack_tcp_ignore_invalid_rst: 1"),
                        "spec.kernel=4.19"));
    }
}
