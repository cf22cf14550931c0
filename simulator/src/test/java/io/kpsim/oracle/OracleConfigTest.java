package io.kpsim.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.replay.ServiceMapping;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class OracleConfigTest {

    static final ServiceMapping ONE = ServiceMapping.parse("10.96.0.10:80=10.244.1.5:8080");
    static final ServiceMapping THREE =
            ServiceMapping.parse("10.96.0.11:443=10.244.1.5:8443,10.244.2.5:8443,10.244.3.5:8443");

    static final Sentinel SENTINEL = Sentinel.avoiding(java.util.Set.of());

    @Test
    void rulesInstallDnatMarksAndTheOptionalDrop() {
        String rules = OracleTopology.rules(OracleConfig.of(List.of(ONE, THREE), false, true), SENTINEL);
        assertTrue(
                rules.contains(
                        "-A PREROUTING -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.1.5:8080\n"),
                rules);
        assertTrue(rules.contains("--probability 0.33333333333 -j DNAT --to-destination 10.244.1.5:8443"), rules);
        assertTrue(rules.contains("--probability 0.50000000000 -j DNAT --to-destination 10.244.2.5:8443"), rules);
        assertTrue(rules.contains("--dport 443 -j DNAT --to-destination 10.244.3.5:8443"), rules);
        assertTrue(
                rules.contains("-A FORWARD -m conntrack --ctstate NEW --ctdir ORIGINAL -j DSCP --set-dscp 1\n"), rules);
        assertTrue(
                rules.contains("-A FORWARD -m conntrack --ctstate INVALID -j NFLOG --nflog-group 0 --nflog-size 128"
                        + " --nflog-threshold 1 --nflog-prefix \"kpsim-forward INVALID\"\n"),
                rules);
        assertTrue(
                rules.contains("*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -m conntrack --ctstate INVALID -j DROP\n"),
                rules);
        assertFalse(OracleTopology.rules(OracleConfig.of(List.of(ONE), false, false), SENTINEL)
                .contains("-j DROP"));
    }

    @Test
    void theSentinelIsUntrackedAndUnmarked() {
        String rules = OracleTopology.rules(OracleConfig.of(List.of(ONE), false, true), SENTINEL);
        assertTrue(
                rules.startsWith("*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -s 198.18.0.1/32 -j CT --notrack\n"
                        + "COMMIT\n"),
                rules);
        assertTrue(
                rules.contains("*mangle\n:FORWARD ACCEPT [0:0]\n-A FORWARD -s 198.18.0.1/32 -j ACCEPT\n-A FORWARD -m"),
                rules);
    }

    @Test
    void beLiberalIsTheNodeSysctl() {
        OracleConfig c = OracleConfig.of(List.of(ONE), true, false);
        assertTrue(c.beLiberal());
        assertEquals("1", c.sysctls().get("net.netfilter.nf_conntrack_tcp_be_liberal"));
        assertFalse(OracleConfig.of(List.of(ONE), false, false).beLiberal());
    }

    @Test
    void refusesSysctlsOutsideTheNodeNamespaceAndSillyWaits() {
        TreeMap<String, String> s = new TreeMap<>();
        s.put("net.ipv4.ip_forward", "0");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new OracleConfig(List.of(ONE), KernelProfile.V6_18, s, false, Duration.ofMillis(40)));
        assertTrue(e.getMessage().contains("net.ipv4.ip_forward"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new OracleConfig(List.of(ONE), KernelProfile.V6_18, new TreeMap<>(), false, Duration.ZERO));
        IllegalArgumentException tooLong = assertThrows(
                IllegalArgumentException.class,
                () -> new OracleConfig(
                        List.of(ONE), KernelProfile.V6_18, new TreeMap<>(), false, Duration.ofSeconds(61)));
        assertEquals("verdict timeout 61000 ms is not in 1..60000 ms", tooLong.getMessage());
    }

    @Test
    void refusesAKernelOtherThanTheRunningOne() {
        String running = OracleMachineCheck.kernelRelease();
        KernelProfile other = running.startsWith("4.19") ? KernelProfile.V6_18 : KernelProfile.V4_19;
        // the machine's fault, not kpsim's: a UserFault (exit 2), never an IllegalArgumentException (exit 3)
        OracleException e = assertThrows(OracleException.class, () -> Oracle.checkKernel(other));
        assertTrue(
                e.getMessage()
                        .startsWith("--kernel " + other.label() + ": the oracle can only verify the running kernel ("
                                + running + ", profile "
                                + OracleMachineCheck.runningProfile().label() + ")"),
                e.getMessage());
    }

    @Test
    void machineCheckLinesAreSingleLines() {
        List<String> problems = OracleMachineCheck.problems();
        for (String p : problems) {
            assertFalse(p.contains("\n"), p);
        }
        assertEquals(problems.isEmpty(), OracleMachineCheck.summary() == null);
    }
}
