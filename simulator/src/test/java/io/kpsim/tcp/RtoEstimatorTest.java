package io.kpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.engine.Durations;
import org.junit.jupiter.api.Test;

class RtoEstimatorTest {

    private static long ms(long v) {
        return Durations.millis(v);
    }

    @Test
    void rfc6298SmoothingWithLinuxFloorAndBackoff() {
        RtoEstimator rto = new RtoEstimator(TcpConfig.linux());
        assertEquals(ms(1000), rto.rtoNanos(), "RFC 6298 §2.1 initial RTO");
        rto.sample(ms(100));
        assertEquals(ms(100), rto.srttNanos());
        assertEquals(ms(50), rto.rttvarNanos());
        assertEquals(ms(300), rto.rtoNanos(), "SRTT + max(4 * RTTVAR, 200 ms)");
        rto.sample(ms(200));
        assertEquals(ms(1125) / 10, rto.srttNanos(), "7/8 * 100 + 1/8 * 200");
        assertEquals(ms(625) / 10, rto.rttvarNanos(), "3/4 * 50 + 1/4 * 100");
        assertEquals(ms(1125) / 10 + ms(250), rto.rtoNanos());
        rto.backOff();
        rto.backOff();
        assertEquals(4 * (ms(1125) / 10 + ms(250)), rto.rtoNanos());
        for (int i = 0; i < 40; i++) {
            rto.backOff();
        }
        assertEquals(Durations.seconds(120), rto.rtoNanos(), "TCP_RTO_MAX");
        rto.sample(ms(10));
        assertEquals(0, rto.backoff(), "a valid sample clears the backoff (§5.7)");
    }

    @Test
    void karnNeverSamplesARetransmittedSegment() {
        RtoEstimator rto = new RtoEstimator(TcpConfig.linux());
        rto.startTiming(100, 0);
        rto.startTiming(200, ms(5)); // already timing 100: ignored
        rto.retransmitted(50, 150);
        assertFalse(rto.acked(300, ms(50)));
        assertEquals(-1, rto.srttNanos());
        rto.startTiming(300, ms(60));
        assertTrue(rto.acked(301, ms(80)));
        assertEquals(ms(20), rto.srttNanos());
    }

    @Test
    void handshakeRetransmissionFallsBackToThreeSeconds() {
        RtoEstimator rto = new RtoEstimator(TcpConfig.linux());
        rto.backOff();
        rto.handshakeRetransmitted();
        assertEquals(Durations.seconds(3), rto.rtoNanos(), "RFC 6298 §5.7");
    }
}
