package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.KernelProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SysctlsTest {

    private static final String P = "net.netfilter.";

    @Test
    void defaultsFollowTheKernel() {
        Map<String, Long> cur = Sysctls.defaults(KernelProfile.V6_18).asMap();
        Map<String, Long> old = Sysctls.defaults(KernelProfile.V4_19).asMap();
        assertEquals(1L, cur.get(P + "nf_conntrack_tcp_loose"));
        assertEquals(0L, cur.get(P + "nf_conntrack_tcp_be_liberal"));
        assertEquals(3L, cur.get(P + "nf_conntrack_tcp_max_retrans"));
        assertEquals(432000L, cur.get(P + "nf_conntrack_tcp_timeout_established"));
        assertEquals(120L, cur.get(P + "nf_conntrack_udp_timeout_stream"));
        assertEquals(180L, old.get(P + "nf_conntrack_udp_timeout_stream"));
        assertEquals(0L, cur.get(P + "nf_conntrack_tcp_ignore_invalid_rst"));
        assertFalse(old.containsKey(P + "nf_conntrack_tcp_ignore_invalid_rst"));
        assertEquals(600L, old.get(P + "nf_conntrack_generic_timeout"));
        assertEquals(30L, old.get(P + "nf_conntrack_icmp_timeout"));
    }

    @Test
    void errorsAreOneLineAndSayWhat() {
        Sysctls s = Sysctls.defaults(KernelProfile.V6_18);
        assertEquals(
                "unknown sysctl 'net.netfilter.nf_conntrack_tcp_be_liberl' (did you mean "
                        + "'net.netfilter.nf_conntrack_tcp_be_liberal'?)",
                assertThrows(IllegalArgumentException.class, () -> s.with(P + "nf_conntrack_tcp_be_liberl", "1"))
                        .getMessage());
        assertEquals(
                "sysctl net.netfilter.nf_conntrack_tcp_loose: 'abc' is not a number",
                assertThrows(IllegalArgumentException.class, () -> s.with(P + "nf_conntrack_tcp_loose", "abc"))
                        .getMessage());
        assertEquals(
                "sysctl net.netfilter.nf_conntrack_tcp_be_liberal: 7 is out of range 0..1",
                assertThrows(IllegalArgumentException.class, () -> s.with(P + "nf_conntrack_tcp_be_liberal", "7"))
                        .getMessage());
        assertEquals(
                "sysctl net.netfilter.nf_conntrack_tcp_max_retrans: 256 is out of range 0..255",
                assertThrows(IllegalArgumentException.class, () -> s.with(P + "nf_conntrack_tcp_max_retrans", "256"))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.withAssignment("nf_conntrack_max"));
    }

    @Test
    void oldKernelTakesAnyIntForItsBooleanKnobs() {
        Sysctls s = Sysctls.defaults(KernelProfile.V4_19).with(P + "nf_conntrack_tcp_be_liberal", "7");
        assertTrue(s.tcpBeLiberal());
    }

    @Test
    void assignmentsAndShortNames() {
        Sysctls s = Sysctls.defaults(KernelProfile.V6_18)
                .withAssignment("net.netfilter.nf_conntrack_tcp_be_liberal = 1")
                .withAssignment("nf_conntrack_max=1000")
                .with("net/netfilter/nf_conntrack_tcp_timeout_close", "5");
        assertTrue(s.tcpBeLiberal());
        assertEquals(1000, s.max());
        assertEquals(5, s.get("nf_conntrack_tcp_timeout_close"));
        assertEquals(Sysctls.defaults(KernelProfile.V6_18), Sysctls.defaults(KernelProfile.V6_18));
        Conntrack ct = new Conntrack(KernelProfile.V6_18, s.with(P + "nf_conntrack_tcp_timeout_syn_sent", "7"), 1);
        Flow f = new Flow(s.with(P + "nf_conntrack_tcp_timeout_syn_sent", "7"));
        f.client(Flow.SYN, 1, 0);
        assertEquals(7, f.ct.timeoutSeconds(f.entry, f.now));
        assertEquals(0, ct.count());
    }
}
