package io.kpsim.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Protocol;
import io.kpsim.replay.ServiceMapping;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SentinelTest {

    @Test
    void takesTheFirstFreeAddressesOfTheBenchmarkingRange() {
        Sentinel s = Sentinel.avoiding(Set.of(Ip4.parse("198.18.0.2")));
        assertEquals("198.18.0.1", Ip4.format(s.source()));
        assertEquals("198.18.0.3", Ip4.format(s.toClientSide()));
        assertEquals("198.18.0.4", Ip4.format(s.toServerSide()));
    }

    @Test
    void anAddressPlanNeverGivesTheSentinelACapturedAddress() {
        ServiceMapping svc = ServiceMapping.parse("198.18.0.1:80=198.18.0.3:8080");
        AddressPlan plan = new AddressPlan(List.of(svc), List.of());
        Sentinel s = plan.sentinel();
        for (int a : new int[] {s.source(), s.toClientSide(), s.toServerSide()}) {
            assertFalse(a == svc.vip() || a == Ip4.parse("198.18.0.3"), Ip4.format(a));
        }
    }

    @Test
    void isRecognisedOnlyAsItselfOutOfItsSide() {
        Sentinel s = Sentinel.avoiding(Set.of());
        WireIpv4 w = WireIpv4.parse(s.packet(AddressPlan.Side.SERVER, 70_001), 0);
        assertEquals(Protocol.UDP, w.protocol());
        assertEquals(Sentinel.PORT, w.dstPort());
        assertTrue(s.is(w, AddressPlan.Side.SERVER, 70_001));
        assertFalse(s.is(w, AddressPlan.Side.SERVER, 70_002), "an earlier or later probe's sentinel");
        assertFalse(s.is(w, AddressPlan.Side.CLIENT, 70_001), "the other side's destination");
    }

    @Test
    void pinningKeepsTheThreadOnOneCpuAndGivesTheMaskBack() {
        long[] before = CpuPin.currentMask();
        try (CpuPin pin = CpuPin.here()) {
            long[] pinned = CpuPin.currentMask();
            int bits = 0;
            for (long word : pinned) {
                bits += Long.bitCount(word);
            }
            assertEquals(1, bits);
            assertTrue((pinned[pin.cpu() / 64] & 1L << (pin.cpu() % 64)) != 0);
        }
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(CpuPin.currentMask()));
    }
}
