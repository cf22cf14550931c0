package io.kpsim.conntrack.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The uname -r mapping of the research notes (section 4) and the catalogue's consistency. */
class KernelChoiceTest {

    @Test
    void distributionStringsMapToTheirLineOrTheNearestOlderProfile() {
        assertEquals(
                KernelProfile.V5_15, KernelChoice.resolve("5.15.0-91-generic").profile());
        assertEquals(KernelProfile.V6_1, KernelChoice.resolve("6.1.0-27-amd64").profile());
        assertEquals(
                KernelProfile.V4_19, KernelChoice.resolve("4.19.0-26-amd64").profile());
        assertEquals(
                KernelProfile.V6_6, KernelChoice.resolve("6.8.0-49-generic").profile());
        assertEquals(KernelProfile.V6_1, KernelChoice.resolve("6.5.0-1-generic").profile());
        assertEquals(
                KernelProfile.V5_10,
                KernelChoice.resolve("5.14.0-427.el9.x86_64").profile());
        assertEquals(
                KernelProfile.V4_14,
                KernelChoice.resolve("4.18.0-513.el8.x86_64").profile());
        assertEquals(
                KernelProfile.V6_18, KernelChoice.resolve("6.18.44-fc-v1272").profile());
        assertEquals(KernelProfile.V6_18, KernelChoice.resolve("7.1.3").profile(), "newer: the newest profile");
        KernelChoice amazon = KernelChoice.resolve("5.10.215-203.850.amzn2.x86_64");
        assertEquals(KernelProfile.V5_10, amazon.profile());
        assertEquals(Release.parse("5.10.215"), amazon.upstream());
        assertNull(KernelChoice.resolve("5.15.0-91-generic").upstream(), "Ubuntu's ABI number is not a sublevel");
        assertEquals(
                Release.parse("6.1.85"), KernelChoice.resolve("Debian 6.1.85-1").upstream());
        assertEquals(
                Release.parse("5.15.131"),
                KernelChoice.resolve("Ubuntu 5.15.0-91.101-generic 5.15.131").upstream());
        assertTrue(KernelChoice.resolve("5.4").isLabel());
        assertThrows(IllegalArgumentException.class, () -> KernelChoice.resolve("4.9.337"));
        assertThrows(IllegalArgumentException.class, () -> KernelChoice.resolve("linux"));
        assertThrows(IllegalArgumentException.class, () -> KernelChoice.resolve(""));
    }

    @Test
    void aProfileIsItsPinnedReleaseAndReleasesInsideALineFollowTheBackports() {
        for (KernelProfile p : KernelProfile.all()) {
            assertEquals(p.switches(), Kernel.at(p.release()).switches(), p.label());
            assertEquals(p, Kernel.at(p.release()), "the pin is the profile itself");
        }
        Kernel v4_19_272 = Kernel.at(Release.parse("4.19.272"));
        assertTrue(v4_19_272.has(Switch.TCP_SYN_RETRANS_NO_REFRESH));
        assertFalse(KernelProfile.V4_19.has(Switch.TCP_SYN_RETRANS_NO_REFRESH));
        assertFalse(Kernel.at(Release.parse("4.19.227")).has(Switch.NAT_PORT_ATTEMPTS));
        assertTrue(KernelProfile.V4_19.has(Switch.NAT_PORT_ATTEMPTS));
        assertTrue(KernelProfile.V5_10.has(Switch.TCP_RST_SYN_DIRECTION), "5.10.259");
        assertFalse(KernelProfile.V6_18.has(Switch.TCP_RST_SYN_DIRECTION), "not before 6.19");
    }

    @Test
    void everySwitchCitesItsCodeAndReleases() {
        for (Switch s : Switch.values()) {
            assertFalse(s.title().isBlank(), s.name());
            assertTrue(s.code().contains(".c") || s.code().contains("sysctl"), s + ": " + s.code());
            assertTrue(s.releases().startsWith("mainline "), s.name());
            if (s.commit() != null) {
                assertTrue(s.commit().matches("[0-9a-f]{12}"), s + ": " + s.commit());
            }
        }
    }
}
