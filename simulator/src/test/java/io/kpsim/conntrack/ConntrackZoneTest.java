package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.UdpDatagram;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Conntrack zones ({@code CT --zone}): the zone is part of what an entry is found by
 * ({@code nf_ct_key_equal()} compares it, {@code hash_conntrack_raw()} mixes it into the hash), so
 * the same tuples in two zones are two entries, each packet finds only its zone's, and killing or
 * expiring one leaves the other.
 */
class ConntrackZoneTest {

    private static final long S = 1_000_000_000L;
    private static final int A = Ip4.parse("10.0.0.1");
    private static final int B = Ip4.parse("10.0.0.2");

    private static CtResult in(Conntrack ct, int zone, Packet p, long now) {
        ct.templateZone(zone);
        CtResult r = ct.in(p, true, now);
        if (r.tracked() && (ct.status(r.entry()) & Status.CONFIRMED) == 0) {
            ct.confirm(r.entry(), now);
        }
        return r;
    }

    private static Packet udp(int src, int dst, int sport, int dport) {
        return Packet.udp(src, dst, new UdpDatagram(sport, dport, 20));
    }

    @Test
    void theSameTuplesInTwoZonesAreTwoEntries() {
        Conntrack ct = new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 1);
        CtResult zone0 = in(ct, 0, udp(A, B, 40000, 9999), S);
        CtResult zone7 = in(ct, 7, udp(A, B, 40000, 9999), S);
        assertEquals(CtState.NEW, zone0.state());
        assertEquals(CtState.NEW, zone7.state(), "zone 7 does not see zone 0's entry");
        assertNotEquals(zone0.entry(), zone7.entry());
        assertEquals(0, ct.zone(zone0.entry()));
        assertEquals(7, ct.zone(zone7.entry()));
        assertEquals(2, ct.count());
        List<String> lines =
                ct.list(S).stream().map(ConnSnapshot::conntrackLine).toList();
        assertEquals(
                List.of(
                        "udp      17 30 src=10.0.0.1 dst=10.0.0.2 sport=40000 dport=9999 [UNREPLIED] src=10.0.0.2"
                                + " dst=10.0.0.1 sport=9999 dport=40000 mark=0 use=1",
                        "udp      17 30 src=10.0.0.1 dst=10.0.0.2 sport=40000 dport=9999 [UNREPLIED] src=10.0.0.2"
                                + " dst=10.0.0.1 sport=9999 dport=40000 mark=0 zone=7 use=1"),
                lines);
        CtResult reply7 = in(ct, 7, udp(B, A, 9999, 40000), 2 * S);
        assertEquals(CtState.ESTABLISHED, reply7.state());
        assertEquals(zone7.entry(), reply7.entry(), "a reply in zone 7 finds zone 7's entry");
        CtResult again0 = in(ct, 0, udp(A, B, 40000, 9999), 2 * S);
        assertEquals(CtState.NEW, again0.state(), "zone 0's entry saw no reply");
        assertEquals(zone0.entry(), again0.entry());
        assertEquals(CtState.NEW, in(ct, 3, udp(B, A, 9999, 40000), 2 * S).state(), "zone 3 has neither");
        assertEquals(3, ct.count());
    }

    @Test
    void anEntryOfOneZoneExpiresAndGoesAloneAndItsTuplesCanBeTrackedAgain() {
        Conntrack ct = new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 1);
        Packet syn = Packet.tcp(
                A, B, new TcpSegment(40000, 80, 1000, 0, TcpFlags.SYN, 64240, 0, TcpOptions.syn(1460, 7, true), 0));
        CtResult tcp9 = in(ct, 9, syn, S);
        CtResult udp0 = in(ct, 0, udp(A, B, 40000, 80), S);
        CtResult udp9 = in(ct, 9, udp(A, B, 40000, 80), S);
        assertEquals(3, ct.count());
        // UDP unreplied: 30 s; the TCP SYN_SENT: 120 s
        List<ConnSnapshot> left = ct.list(40 * S);
        assertEquals(1, left.size());
        assertEquals(tcp9.entry(), left.get(0).entry());
        assertEquals(9, left.get(0).zone());
        CtResult fresh = in(ct, 9, udp(A, B, 40000, 80), 41 * S);
        assertEquals(CtState.NEW, fresh.state());
        assertEquals(9, ct.zone(fresh.entry()));
        assertEquals(CtState.NEW, in(ct, 9, syn, 42 * S).state(), "a SYN retransmitted in zone 9");
        assertEquals(tcp9.entry(), in(ct, 9, syn, 42 * S).entry());
        assertNotEquals(udp0.entry(), udp9.entry());
    }

    @Test
    void aZoneIsAU16() {
        Conntrack ct = new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 1);
        assertThrows(IllegalArgumentException.class, () -> ct.templateZone(65536));
        ct.templateZone(65535);
        assertEquals(65535, ct.zone(ct.in(udp(A, B, 1, 2), true, S).entry()));
    }
}
