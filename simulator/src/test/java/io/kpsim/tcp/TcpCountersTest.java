package io.kpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The sparse counter set counts exactly as one long per counter would, in any order of first use;
 * so does a socket's ({@link SocketCounts}), whose segments are u32 fields and whose establishment
 * is a bit.
 */
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

    @Test
    void aSocketsCountsReadAsADenseArrayWouldWithTheSegmentsAndTheEstablishmentOutsideTheArray() {
        SplittableRandom random = new SplittableRandom(29);
        TcpCounter[] all = TcpCounter.values();
        for (int round = 0; round < 200; round++) {
            SocketCounts socket = new SocketCounts() {};
            long[] dense = new long[all.length];
            int establishedAt = random.nextInt(40);
            for (int i = 0; i < 40; i++) {
                TcpCounter counter = all[random.nextInt(all.length)];
                if (i == establishedAt) {
                    counter = TcpCounter.CONNECTIONS_ESTABLISHED;
                } else if (counter == TcpCounter.CONNECTIONS_ESTABLISHED) {
                    continue;
                }
                long amount = counter == TcpCounter.CONNECTIONS_ESTABLISHED ? 1 : random.nextInt(1 << 20);
                socket.countOnSocket(counter, amount);
                dense[counter.ordinal()] += amount;
                TcpCounters copy = socket.counters();
                for (TcpCounter c : all) {
                    assertEquals(dense[c.ordinal()], socket.counter(c), c + " after " + i + " in round " + round);
                    assertEquals(dense[c.ordinal()], copy.get(c), c + " (copy) after " + i + " in round " + round);
                }
            }
        }
    }

    @Test
    void anIdleEstablishedSocketKeepsNoArrayAndItsSegmentsWrapAsTheKernelsU32() {
        SocketCounts socket = new SocketCounts() {};
        socket.countOnSocket(TcpCounter.SEGMENTS_SENT, 2);
        socket.countOnSocket(TcpCounter.SEGMENTS_RECEIVED, 1);
        socket.countOnSocket(TcpCounter.CONNECTIONS_ESTABLISHED, 1);
        assertEquals(
                "{segments_sent=2, segments_received=1, connections_established=1}",
                socket.counters().toString());
        // counting zero makes no slot either
        socket.countOnSocket(TcpCounter.BYTES_ACKED, 0);
        assertEquals(0, socket.counter(TcpCounter.BYTES_ACKED));
        socket.countOnSocket(TcpCounter.SEGMENTS_SENT, (1L << 32) - 2);
        assertEquals(0, socket.counter(TcpCounter.SEGMENTS_SENT)); // tp->segs_out is a u32
        socket.countOnSocket(TcpCounter.SEGMENTS_RECEIVED, (1L << 32) - 2);
        assertEquals((1L << 32) - 1, socket.counter(TcpCounter.SEGMENTS_RECEIVED));
        // a connection is established once: a second count is an internal error, not a silent 2
        IllegalStateException x = assertThrows(
                IllegalStateException.class, () -> socket.countOnSocket(TcpCounter.CONNECTIONS_ESTABLISHED, 1));
        assertEquals(1, socket.counter(TcpCounter.CONNECTIONS_ESTABLISHED), x.getMessage());
    }
}
