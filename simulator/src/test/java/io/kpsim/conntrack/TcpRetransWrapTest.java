package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.TcpOptions;
import org.junit.jupiter.api.Test;

/**
 * T11: {@code struct ip_ct_tcp.retrans} is a {@code u_int8_t} in every release 4.14 to 6.18, so
 * {@code state->retrans++} wraps 255 to 0: the RETRANS timeout (300 s) that identical ACKs earn
 * once {@code retrans >= nf_conntrack_tcp_max_retrans} (3) lets go at the 256th and returns three
 * segments later.
 */
class TcpRetransWrapTest {

    @Test
    void identicalAcksWrapTheU8RetransCounter() {
        for (KernelProfile k : KernelProfile.all()) {
            Flow f = new Flow(k).handshake(1000, 5000, false);
            assertEquals(432_000, f.ct.timeoutSeconds(f.entry, f.now), k.toString());
            for (int n = 1; n <= 260; n++) {
                f.client(Flow.ACK, f.cSeq, f.sSeq, 65535, 0, TcpOptions.NONE);
                int retrans = n % 256;
                long expected = retrans >= 3 ? 300 : 432_000;
                assertEquals(retrans, f.ct.store().retrans(f.entry), k + " after " + n);
                assertEquals(expected, f.ct.timeoutSeconds(f.entry, f.now), k + " after identical ACK " + n);
            }
        }
    }
}
