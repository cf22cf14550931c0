package io.kpsim.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.pcap.Ipv4Encoder;
import io.kpsim.replay.ServiceMapping;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressPlanTest {

    static final ServiceMapping SVC = ServiceMapping.parse("10.96.0.10:80=10.244.1.5:8080");
    static final int C = Ip4.parse("10.244.0.7");
    static final int V = SVC.vip();
    static final int P = Ip4.parse("10.244.1.5");

    static WireIpv4 wire(Packet p) {
        return WireIpv4.parse(Ipv4Encoder.encode(p), 0);
    }

    static Packet tcp(int src, int sport, int dst, int dport) {
        return Packet.tcp(src, dst, new TcpSegment(sport, dport, 1, 1, TcpFlags.ACK, 100, 0, TcpOptions.NONE, 0));
    }

    @Test
    void podSourcesComeFromTheServerSideEverythingElseFromTheClientSide() {
        WireIpv4 request = wire(tcp(C, 40001, V, 80));
        WireIpv4 reply = wire(tcp(P, 8080, C, 40001));
        WireIpv4 rstToPod = wire(tcp(C, 40001, P, 8080));
        AddressPlan plan = new AddressPlan(List.of(SVC), List.of(request, reply, rstToPod));
        assertEquals(AddressPlan.Side.CLIENT, plan.side(request));
        assertEquals(AddressPlan.Side.SERVER, plan.side(reply));
        assertEquals(AddressPlan.Side.CLIENT, plan.side(rstToPod));
        assertTrue(plan.routedTo(AddressPlan.Side.SERVER).containsAll(List.of(V, P)));
        assertEquals(List.of(C), List.copyOf(plan.routedTo(AddressPlan.Side.CLIENT)));
    }

    @Test
    void icmpErrorsGoByTheQuotedHeader() {
        int router = Ip4.parse("10.244.1.1");
        Packet quotedToPod = tcp(C, 40001, P, 8080);
        Packet quotedFromVip = tcp(V, 80, C, 40001);
        WireIpv4 fromServerSide = wire(Packet.icmp(router, C, IcmpMessage.error(3, 4, 1400, quotedToPod)));
        WireIpv4 fromClient = wire(Packet.icmp(C, V, IcmpMessage.error(3, 3, 0, quotedFromVip)));
        AddressPlan plan = new AddressPlan(List.of(SVC), List.of(fromServerSide, fromClient));
        assertEquals(AddressPlan.Side.SERVER, plan.side(fromServerSide));
        assertEquals(AddressPlan.Side.CLIENT, plan.side(fromClient));
        assertTrue(plan.routedTo(AddressPlan.Side.SERVER).contains(router));
        assertFalse(plan.routedTo(AddressPlan.Side.CLIENT).contains(router));
    }
}
