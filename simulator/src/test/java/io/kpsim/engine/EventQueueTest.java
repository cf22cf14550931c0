package io.kpsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The two-heap future-event list ({@link EventQueue}) hands events out in exactly (time, sequence)
 * order, wherever the horizon put them: checked against a reference queue over random adds and
 * polls that mix near events, far ones, equal times and events exactly at the horizon.
 */
class EventQueueTest {

    /** An event that only stands for itself. */
    private static final class Mark extends Scheduled {
        @Override
        Runnable take(long seq) {
            return null;
        }
    }

    private record Key(long time, long seq, Scheduled event) {}

    @Test
    void nearAndFarEventsComeOutInTimeThenSequenceOrder() {
        SplittableRandom random = new SplittableRandom(17);
        EventQueue queue = new EventQueue();
        PriorityQueue<Key> reference =
                new PriorityQueue<>(Comparator.comparingLong(Key::time).thenComparingLong(Key::seq));
        long clock = 0;
        int polled = 0;
        for (int step = 0; step < 200_000; step++) {
            if (reference.isEmpty() || random.nextInt(100) < 52) {
                long delay = switch (random.nextInt(6)) {
                    case 0 -> 0; // same instant: sequence decides
                    case 1 -> random.nextLong(1_000); // link-like
                    case 2 -> EventQueue.HORIZON_NANOS - 1 + random.nextLong(3); // at the horizon
                    case 3 -> 200_000_000L + random.nextLong(1_000); // retransmission-timer-like
                    case 4 -> 60_000_000_000L; // TIME_WAIT-like, many equal times
                    default -> random.nextLong(3 * EventQueue.HORIZON_NANOS);
                };
                Mark m = new Mark();
                long seq = queue.add(clock + delay, m);
                reference.add(new Key(clock + delay, seq, m));
            } else {
                Key expected = reference.poll();
                assertEquals(expected.time(), queue.peekTime(), "time at poll " + polled);
                assertEquals(expected.seq(), queue.peekSeq(), "sequence at poll " + polled);
                assertSame(expected.event(), queue.poll(), "event at poll " + polled);
                clock = expected.time();
                polled++;
            }
            assertEquals(reference.size(), queue.size());
        }
        List<Long> rest = new ArrayList<>();
        while (!queue.isEmpty()) {
            Key expected = reference.poll();
            assertEquals(expected.seq(), queue.peekSeq());
            queue.poll();
            rest.add(expected.seq());
        }
        assertTrue(reference.isEmpty());
        assertFalse(rest.isEmpty(), "the run should leave far events queued");
        assertTrue(polled > 50_000, "the run should poll many events, polled " + polled);
    }

    @Test
    void sequenceNumbersGrowAcrossBothHeaps() {
        EventQueue queue = new EventQueue();
        long a = queue.add(5, new Mark());
        long b = queue.add(EventQueue.HORIZON_NANOS * 5, new Mark());
        long c = queue.add(5, new Mark());
        assertEquals(List.of(0L, 1L, 2L), List.of(a, b, c));
        assertEquals(a, queue.peekSeq());
        queue.poll();
        assertEquals(c, queue.peekSeq());
        queue.poll();
        assertEquals(b, queue.peekSeq());
        assertEquals(EventQueue.HORIZON_NANOS * 5, queue.peekTime());
    }
}
