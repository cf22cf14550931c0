package io.kpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NewRenoTest {

    private static final int MSS = 1000;

    /** A sender with SMSS {@link #MSS} and an initial window of ten segments; no socket is needed here. */
    private static TcpSender sender() {
        TcpSender s = new TcpSender(null, TcpConfig.linux(), 0);
        s.mss = MSS;
        NewReno.init(s, 10);
        return s;
    }

    @Test
    void slowStartThenCongestionAvoidance() {
        TcpSender cc = sender();
        assertEquals(10_000, cc.cwnd());
        assertFalse(NewReno.onNewAck(cc, 2000, 2000, 10_000, 8000));
        assertEquals(11_000, cc.cwnd(), "slow start: + min(acked, SMSS)");
        assertFalse(NewReno.onNewAck(cc, 3000, 1000, 1000, 0));
        assertEquals(11_000, cc.cwnd(), "not cwnd-limited: no growth");
        NewReno.onTimeout(cc, 20_000, 30_000);
        assertEquals(MSS, cc.cwnd());
        assertEquals(10_000, cc.ssthresh());
        for (int i = 0; i < 9; i++) {
            NewReno.onNewAck(cc, 0, MSS, cc.cwnd(), 0);
        }
        assertEquals(10_000, cc.cwnd(), "slow start up to ssthresh");
        for (int i = 0; i < 10; i++) {
            NewReno.onNewAck(cc, 0, MSS, cc.cwnd(), 0);
        }
        assertEquals(11_000, cc.cwnd(), "one SMSS per cwnd of ACKed bytes");
    }

    @Test
    void fastRecoveryWithPartialAndFullAcks() {
        TcpSender cc = sender();
        long una = 1;
        long max = 20_001;
        assertFalse(NewReno.onDuplicateAck(cc, una, max));
        assertFalse(NewReno.onDuplicateAck(cc, una, max));
        assertTrue(NewReno.onDuplicateAck(cc, una, max), "third duplicate ACK");
        assertTrue(cc.inRecovery);
        assertEquals(10_000, cc.ssthresh());
        assertEquals(13_000, cc.cwnd(), "ssthresh + 3 SMSS");
        assertFalse(NewReno.onDuplicateAck(cc, una, max));
        assertEquals(14_000, cc.cwnd(), "inflation");
        assertTrue(NewReno.onNewAck(cc, 5001, 5000, 20_000, 15_000), "partial ACK");
        assertEquals(10_000, cc.cwnd(), "deflated by 5000, plus one SMSS");
        assertFalse(NewReno.onNewAck(cc, 20_001, 15_000, 15_000, 0), "full ACK");
        assertFalse(cc.inRecovery);
        assertEquals(2 * MSS, cc.cwnd(), "min(ssthresh, FlightSize + SMSS)");
        for (int i = 0; i < 3; i++) {
            NewReno.onDuplicateAck(cc, 20_001, 20_001);
        }
        assertTrue(cc.inRecovery, "a new loss above recover starts a new recovery");
    }

    @Test
    void noFastRetransmitForLossesBeforeRecover() {
        TcpSender cc = sender();
        NewReno.onTimeout(cc, 10_000, 50_001);
        for (int i = 0; i < 5; i++) {
            assertFalse(NewReno.onDuplicateAck(cc, 10_001, 50_001), "RFC 6582 §3.2 step 2: below recover");
        }
    }
}
