package io.kpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.engine.Durations;
import org.junit.jupiter.api.Test;

/**
 * The sender's 32-bit positions (SND.NXT, the highest sent, the retransmission point, NewReno's
 * {@code recover}, Karn's timed segment) read back as 64-bit stream offsets across the 2^32 wrap of
 * the sequence space and past 2^32 bytes of stream, with the kernel's {@code (s32)(a - b)}
 * arithmetic ({@code before()}/{@code after()}). {@link SequenceWrapTest} runs whole transfers
 * across the wrap; this test pins the arithmetic at its edges, where no transfer of a test's size goes.
 */
class SenderSequenceTest {

    private static final TcpConfig CONFIG = TcpConfig.linux();
    private static final long GIB = 1L << 30;

    @Test
    void positionsReadBackAcrossTheWrapAndPastFourGibibytes() {
        int iss = -256; // 2^32 - 256: data from offset 257 on has wrapped
        TcpSender s = new TcpSender(null, CONFIG, iss);
        for (long una : new long[] {0, 1, 255, 256, 257, 3 * GIB, 4 * GIB - 1, 4 * GIB + 7, 11 * GIB + 12_345}) {
            s.una = una;
            for (long ahead : new long[] {0, 1, 1460, 65_535, GIB, 2 * GIB - 1}) {
                s.nxt(una + ahead);
                s.max(una + ahead);
                assertEquals(una + ahead, s.nxt(), "SND.NXT " + ahead + " past SND.UNA " + una);
                assertEquals(una + ahead, s.max());
                assertEquals(iss + (int) (una + ahead), s.sndNxt(), "the wire's sequence number");
                assertEquals(una + ahead, s.ackOffset(s.sndNxt()));
            }
            s.retransmitNext(una - 1000);
            assertEquals(una - 1000, s.retransmitNext(), "positions below SND.UNA read back too");
            s.recover(una - 2 * GIB);
            assertEquals(una - 2 * GIB, s.recover(), "as far back as before() reaches: 2^31");
        }
    }

    @Test
    void recoverFollowsSndUnaSoFastRetransmitStillStartsAfterTwoGibibytes() {
        TcpSender s = new TcpSender(null, CONFIG, -90_000);
        s.mss = 1000;
        NewReno.init(s, 10);
        long una = 1;
        // 3 GiB acknowledged without a loss, in steps well inside one window: no recovery starts, yet
        // recover must stay below SND.UNA as a 64-bit recover at 0 would.
        for (long step = 0; step < 3 * 1024; step++) {
            long ack = una + (1L << 20);
            assertFalse(NewReno.onNewAck(s, ack, ack - una, 1L << 20, 0));
            una = ack;
            s.una = una;
        }
        assertTrue(s.recover() <= una, "recover " + s.recover() + " at SND.UNA " + una);
        long max = una + 20_000;
        assertFalse(NewReno.onDuplicateAck(s, una, max));
        assertFalse(NewReno.onDuplicateAck(s, una, max));
        assertTrue(NewReno.onDuplicateAck(s, una, max), "the third duplicate ACK starts fast retransmit");
        assertEquals(max, s.recover(), "recover is the highest sent (RFC 6582 §3.2 step 2)");
        assertTrue(NewReno.onNewAck(s, una + 5000, 5000, 20_000, 15_000), "a partial ACK below recover");
        s.una = una + 5000;
        assertFalse(NewReno.onNewAck(s, max, 15_000, 15_000, 0), "the full ACK at recover ends recovery");
        assertFalse(s.inRecovery);
    }

    @Test
    void karnTimesOneSegmentAcrossTheWrap() {
        TcpSender s = new TcpSender(null, CONFIG, -1000);
        s.una = 4 * GIB - 10; // the timed segment's sequence number wraps past 2^32 twice over the stream
        RtoEstimator.startTiming(s, s.una + 500, 0);
        RtoEstimator.startTiming(s, s.una + 1500, Durations.millis(1));
        assertFalse(RtoEstimator.acked(s, CONFIG, s.una + 500, Durations.millis(5)), "not past the timed byte");
        RtoEstimator.retransmitted(s, s.una, s.una + 400);
        assertTrue(RtoEstimator.acked(s, CONFIG, s.una + 501, Durations.millis(40)), "the first timed segment");
        assertEquals(Durations.millis(40), s.srttNanos(), "timed from its first send");
        RtoEstimator.startTiming(s, s.una + 2000, Durations.millis(50));
        RtoEstimator.retransmitted(s, s.una + 1460, s.una + 2920);
        assertFalse(RtoEstimator.acked(s, CONFIG, s.una + 3000, Durations.millis(90)), "Karn: resent, not timed");
    }
}
