package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.KernelProfile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConntrackSmokeTest {

    @ParameterizedTest
    @EnumSource(
            value = KernelProfile.class,
            names = {"V4_19", "V6_18"})
    void handshakeDataAndCloseWalkTheStates(KernelProfile k) {
        Flow f = new Flow(k);
        CtResult syn = f.client(Flow.SYN, 1000, 0);
        assertEquals(CtState.NEW, syn.state());
        assertEquals(TcpState.SYN_SENT, f.state());
        CtResult synAck = f.server(Flow.SYNACK, 5000, 1001);
        assertEquals(CtState.ESTABLISHED, synAck.state());
        assertEquals(CtDir.REPLY, synAck.dir());
        assertEquals(TcpState.SYN_RECV, f.state());
        CtResult ack = f.client(Flow.ACK, 1001, 5001);
        assertEquals(CtState.ESTABLISHED, ack.state());
        assertEquals(TcpState.ESTABLISHED, f.state());
        assertTrue((f.ct.status(f.entry) & Status.ASSURED) != 0);
        CtResult data = f.server(Flow.PSHACK, 5001, 1001, 509, 100, io.kpsim.packet.TcpOptions.NONE);
        assertEquals(CtState.ESTABLISHED, data.state());
        assertNull(data.reason());
        assertFalse(data.ignored());
        f.client(Flow.FINACK, 1001, 5101);
        assertEquals(TcpState.FIN_WAIT, f.state());
        f.server(Flow.ACK, 5101, 1002);
        assertEquals(TcpState.CLOSE_WAIT, f.state());
        f.server(Flow.FINACK, 5101, 1002);
        assertEquals(TcpState.LAST_ACK, f.state());
        f.client(Flow.ACK, 1002, 5102);
        assertEquals(TcpState.TIME_WAIT, f.state());
        assertEquals(1, f.ct.count());
    }
}
