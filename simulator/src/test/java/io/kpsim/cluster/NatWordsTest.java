package io.kpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import org.junit.jupiter.api.Test;

/** The words of what NAT did at a node, as a node event's {@code nat} reads them. */
class NatWordsTest {

    private static Packet tcp(String src, int srcPort, String dst, int dstPort) {
        return Packet.tcp(
                Ip4.parse(src),
                Ip4.parse(dst),
                new TcpSegment(srcPort, dstPort, 1, 0, TcpFlags.ACK, 1000, 0, TcpOptions.NONE, 0));
    }

    private final Packet toService = tcp("10.244.1.2", 40000, "10.96.0.10", 80);
    private final Packet toPod = tcp("10.244.1.2", 40000, "10.244.2.2", 8080);
    private final Packet masqueraded = tcp("192.168.0.10", 40001, "10.244.2.2", 8080);
    private final Packet reply = tcp("10.244.2.2", 8080, "10.244.1.2", 40000);
    private final Packet unNatted = tcp("10.96.0.10", 80, "10.244.1.2", 40000);

    @Test
    void destinationRewrite() {
        assertEquals(
                "DNAT 10.96.0.10.80 -> 10.244.2.2.8080",
                new NatWords(null, toService, toPod, true, false, false).text());
    }

    @Test
    void bothRewritesInOrder() {
        assertEquals(
                "DNAT 10.96.0.10.80 -> 10.244.2.2.8080, SNAT 10.244.1.2.40000 -> 192.168.0.10.40001",
                new NatWords(null, toService, masqueraded, true, true, false).text());
    }

    @Test
    void reverseNatNamesBothEnds() {
        assertEquals(
                "reverse NAT 10.244.2.2.8080 > 10.244.1.2.40000 -> 10.96.0.10.80 > 10.244.1.2.40000",
                new NatWords(null, reply, unNatted, false, false, true).text());
    }

    @Test
    void aSkippedReverseNatIsSaidAsItWasGiven() {
        assertEquals("no NAT: INVALID", new NatWords("no NAT: INVALID", reply, reply, false, false, false).text());
    }

    @Test
    void noRewriteHasNoWords() {
        assertNull(new NatWords(null, reply, reply, false, false, false).text());
    }
}
