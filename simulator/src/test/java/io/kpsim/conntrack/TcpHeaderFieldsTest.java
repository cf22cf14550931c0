package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import org.junit.jupiter.api.Test;

/**
 * The parameter object of {@link Conntrack#inTcp}: fields are set by name, out-of-range values are
 * refused where they enter, and a field left over from the previous segment is refused rather
 * than tracked as this segment's.
 */
class TcpHeaderFieldsTest {

    private static final int CLIENT = Ip4.parse("10.244.1.5");
    private static final int SERVER = Ip4.parse("10.244.2.7");
    private static final int NO_OPTIONS = TcpHeaderFields.optionBits(TcpOptions.NONE);

    @Test
    void outOfRangeFieldsAreRefusedWhereTheyEnter() {
        TcpHeaderFields f = new TcpHeaderFields();
        IllegalArgumentException window = assertThrows(IllegalArgumentException.class, () -> f.window(0x10000));
        assertTrue(window.getMessage().contains("65536"), window.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f.window(-1));
        assertThrows(IllegalArgumentException.class, () -> f.srcPort(65536));
        assertThrows(IllegalArgumentException.class, () -> f.dstPort(-1));
        assertThrows(IllegalArgumentException.class, () -> f.flags(0x100));
        assertThrows(IllegalArgumentException.class, () -> f.payloadLength(-1));
    }

    @Test
    void aFieldNotSetForThisSegmentIsRefusedByName() {
        Conntrack ct = new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 1);
        TcpHeaderFields f = syn(new TcpHeaderFields(), 1000);
        int packed = ct.inTcp(f, true, 0);
        assertEquals(PackedResult.NEW, PackedResult.kind(packed));
        // the next segment forgets seq and window: both would silently be the SYN's
        f.srcIp(CLIENT).dstIp(SERVER).srcPort(40000).dstPort(80).ack(0).flags(TcpFlags.SYN);
        f.payloadLength(0).options(NO_OPTIONS);
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> ct.inTcp(f, true, 0));
        assertEquals("TcpHeaderFields: seq, window not set for this segment", x.getMessage());
    }

    @Test
    void theSackEdgeDefaultsToTheAckNumberOfThisSegment() {
        TcpHeaderFields f = syn(new TcpHeaderFields(), 1000).sackEdge(777);
        f.take();
        assertEquals(777, f.sack);
        syn(f, 2000).ack(55);
        f.take();
        assertEquals(55, f.sack, "a SACK edge of an earlier segment does not carry over");
    }

    private static TcpHeaderFields syn(TcpHeaderFields f, int seq) {
        return f.srcIp(CLIENT)
                .dstIp(SERVER)
                .srcPort(40000)
                .dstPort(80)
                .seq(seq)
                .ack(0)
                .flags(TcpFlags.SYN)
                .window(64240)
                .payloadLength(0)
                .options(NO_OPTIONS);
    }
}
