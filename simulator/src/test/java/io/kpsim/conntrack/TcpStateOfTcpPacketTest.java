package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.TcpOptions;
import org.junit.jupiter.api.Test;

/**
 * {@link Conntrack#tcpStateOfTcpPacket}, which replay reads for a TCP packet's entry without its
 * protocol word, gives what {@link Conntrack#tcpState} gives at every step of a connection's life.
 */
class TcpStateOfTcpPacketTest {

    @Test
    void givesTheTcpStateAtEveryStepFromSynToTimeWait() {
        Flow f = new Flow(KernelProfile.V6_18);
        f.client(Flow.SYN, 1000, 0, 64240, 0, TcpOptions.syn(1460, 7, true));
        assertSame(f, TcpState.SYN_SENT);
        f.server(Flow.SYNACK, 5000, 1001, 65160, 0, TcpOptions.syn(1460, 7, true));
        assertSame(f, TcpState.SYN_RECV);
        f.client(Flow.ACK, 1001, 5001);
        assertSame(f, TcpState.ESTABLISHED);
        f.client(Flow.FINACK, 1001, 5001);
        assertSame(f, TcpState.FIN_WAIT);
        f.server(Flow.FINACK, 5001, 1002);
        assertSame(f, TcpState.LAST_ACK);
        f.client(Flow.ACK, 1002, 5002);
        assertSame(f, TcpState.TIME_WAIT);
    }

    private static void assertSame(Flow f, TcpState expected) {
        assertEquals(expected, f.ct.tcpState(f.entry));
        assertEquals(f.ct.tcpState(f.entry), f.ct.tcpStateOfTcpPacket(f.entry));
    }
}
