package io.kpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sparse counter set counts exactly as one long per counter would, in any order of first use. */
class TcpCountersTest {

    @Test
    void anEmptySetReadsZeroAndPrintsNothing() {
        TcpCounters c = new TcpCounters();
        for (TcpCounter counter : TcpCounter.values()) {
            assertEquals(0, c.get(counter));
        }
        assertEquals("{}", c.toString());
    }

    @Test
    void countsAsADenseArrayWouldInAnyOrder() {
        SplittableRandom random = new SplittableRandom(17);
        TcpCounter[] all = TcpCounter.values();
        for (int round = 0; round < 200; round++) {
            TcpCounters sparse = new TcpCounters();
            long[] dense = new long[all.length];
            for (int i = 0; i < 40; i++) {
                TcpCounter counter = all[random.nextInt(all.length)];
                long amount = random.nextInt(4) == 0 ? 0 : random.nextLong(1, 1L << 40);
                sparse.add(counter, amount);
                dense[counter.ordinal()] += amount;
                for (TcpCounter c : all) {
                    assertEquals(dense[c.ordinal()], sparse.get(c), c + " after " + i + " adds in round " + round);
                }
            }
        }
    }

    @Test
    void printsTheNonZeroCountersInDeclarationOrder() {
        TcpCounters c = new TcpCounters();
        c.add(TcpCounter.CONNECTIONS_ESTABLISHED, 1);
        c.add(TcpCounter.TIMEOUTS, 0);
        c.add(TcpCounter.SEGMENTS_SENT, 3);
        c.add(TcpCounter.BYTES_ACKED, 5);
        c.add(TcpCounter.BYTES_ACKED, -5);
        assertEquals("{segments_sent=3, connections_established=1}", c.toString());
        assertEquals(0, c.get(TcpCounter.TIMEOUTS));
    }
}
