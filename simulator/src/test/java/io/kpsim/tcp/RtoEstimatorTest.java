package io.kpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.engine.Durations;
import org.junit.jupiter.api.Test;

class RtoEstimatorTest {

    private static final TcpConfig CONFIG = TcpConfig.linux();

    private static long ms(long v) {
        return Durations.millis(v);
    }

    @Test
    void rfc6298SmoothingWithLinuxFloorAndBackoff() {
        TcpSender rto = new TcpSender(null, CONFIG, 0);
        assertEquals(ms(1000), RtoEstimator.rtoNanos(rto, CONFIG), "RFC 6298 §2.1 initial RTO");
        RtoEstimator.sample(rto, CONFIG, ms(100));
        assertEquals(ms(100), rto.srttNanos);
        assertEquals(ms(50), rto.rttvarNanos);
        assertEquals(ms(300), RtoEstimator.rtoNanos(rto, CONFIG), "SRTT + max(4 * RTTVAR, 200 ms)");
        RtoEstimator.sample(rto, CONFIG, ms(200));
        assertEquals(ms(1125) / 10, rto.srttNanos, "7/8 * 100 + 1/8 * 200");
        assertEquals(ms(625) / 10, rto.rttvarNanos, "3/4 * 50 + 1/4 * 100");
        assertEquals(ms(1125) / 10 + ms(250), RtoEstimator.rtoNanos(rto, CONFIG));
        RtoEstimator.backOff(rto);
        RtoEstimator.backOff(rto);
        assertEquals(4 * (ms(1125) / 10 + ms(250)), RtoEstimator.rtoNanos(rto, CONFIG));
        for (int i = 0; i < 40; i++) {
            RtoEstimator.backOff(rto);
        }
        assertEquals(Durations.seconds(120), RtoEstimator.rtoNanos(rto, CONFIG), "TCP_RTO_MAX");
        RtoEstimator.sample(rto, CONFIG, ms(10));
        assertEquals(0, rto.rtoBackoff, "a valid sample clears the backoff (§5.7)");
    }

    @Test
    void karnNeverSamplesARetransmittedSegment() {
        TcpSender rto = new TcpSender(null, CONFIG, 0);
        RtoEstimator.startTiming(rto, 100, 0);
        RtoEstimator.startTiming(rto, 200, ms(5)); // already timing 100: ignored
        RtoEstimator.retransmitted(rto, 50, 150);
        assertFalse(RtoEstimator.acked(rto, CONFIG, 300, ms(50)));
        assertEquals(-1, rto.srttNanos);
        RtoEstimator.startTiming(rto, 300, ms(60));
        assertTrue(RtoEstimator.acked(rto, CONFIG, 301, ms(80)));
        assertEquals(ms(20), rto.srttNanos);
    }

    @Test
    void handshakeRetransmissionFallsBackToThreeSeconds() {
        TcpSender rto = new TcpSender(null, CONFIG, 0);
        RtoEstimator.backOff(rto);
        RtoEstimator.handshakeRetransmitted(rto, CONFIG);
        assertEquals(Durations.seconds(3), RtoEstimator.rtoNanos(rto, CONFIG), "RFC 6298 §5.7");
    }
}
