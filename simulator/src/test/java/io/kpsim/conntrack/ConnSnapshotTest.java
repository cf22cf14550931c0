package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Protocol;
import org.junit.jupiter.api.Test;

/**
 * {@link ConnSnapshot#conntrackLine()} against lines {@code conntrack -L} (conntrack-tools 1.4.7,
 * Linux 6.18) printed for a TCP and a UDP flow over the loopback of a private namespace: the
 * protocol name is padded to 8 and followed by one space ({@code "%-8s %u "}).
 */
class ConnSnapshotTest {

    private static final int LO = Ip4.parse("127.0.0.1");

    @Test
    void anEstablishedTcpEntryPrintsAsConntrackToolsDoes() {
        Tuple original = new Tuple(Protocol.TCP, LO, 46400, LO, 5001);
        ConnSnapshot s = new ConnSnapshot(
                0, Protocol.TCP, original, original.invert(), TcpState.ESTABLISHED, true, true, 431999);
        assertEquals(
                "tcp      6 431999 ESTABLISHED src=127.0.0.1 dst=127.0.0.1 sport=46400 dport=5001"
                        + " src=127.0.0.1 dst=127.0.0.1 sport=5001 dport=46400 [ASSURED] mark=0 use=1",
                s.conntrackLine());
    }

    @Test
    void aRepliedUdpEntryPrintsAsConntrackToolsDoes() {
        Tuple original = new Tuple(Protocol.UDP, LO, 58425, LO, 5000);
        ConnSnapshot s = new ConnSnapshot(1, Protocol.UDP, original, original.invert(), null, false, true, 29);
        assertEquals(
                "udp      17 29 src=127.0.0.1 dst=127.0.0.1 sport=58425 dport=5000"
                        + " src=127.0.0.1 dst=127.0.0.1 sport=5000 dport=58425 mark=0 use=1",
                s.conntrackLine());
    }
}
