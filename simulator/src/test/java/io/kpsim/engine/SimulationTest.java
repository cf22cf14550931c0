package io.kpsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimulationTest {

    @Test
    void eventsRunInTimeOrderAndSameTimeInFifoOrder() {
        Simulation sim = new Simulation();
        List<String> log = new ArrayList<>();
        sim.schedule(30, () -> log.add("c@" + sim.now()));
        sim.schedule(10, () -> log.add("a1@" + sim.now()));
        sim.schedule(20, () -> log.add("b@" + sim.now()));
        sim.schedule(10, () -> log.add("a2@" + sim.now()));
        sim.schedule(10, () -> {
            log.add("a3@" + sim.now());
            sim.schedule(0, () -> log.add("a4@" + sim.now()));
        });
        sim.run();
        assertEquals(List.of("a1@10", "a2@10", "a3@10", "a4@10", "b@20", "c@30"), log);
        assertEquals(6, sim.eventsProcessed());
        assertEquals(30, sim.now());
    }

    @Test
    void fifoHoldsForManyEventsAtOneInstantAcrossHeapGrowth() {
        Simulation sim = new Simulation();
        List<Integer> order = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        List<long[]> expected = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            long t = random.nextInt(50);
            int id = i;
            expected.add(new long[] {t, id});
            sim.scheduleAt(t, () -> order.add(id));
        }
        expected.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        sim.run();
        for (int i = 0; i < expected.size(); i++) {
            assertEquals((int) expected.get(i)[1], order.get(i));
        }
    }

    @Test
    void cancelledEventsDoNotRunAndHandlesStayValid() {
        Simulation sim = new Simulation();
        List<String> log = new ArrayList<>();
        EventHandle a = sim.schedule(5, () -> log.add("a"));
        EventHandle b = sim.schedule(6, () -> log.add("b"));
        assertTrue(a.isPending());
        a.cancel();
        a.cancel();
        assertFalse(a.isPending());
        EventHandle.NONE.cancel();
        assertFalse(EventHandle.NONE.isPending());
        sim.run();
        assertEquals(List.of("b"), log);
        assertFalse(b.isPending());
        b.cancel();
        assertEquals(1, sim.eventsProcessed());
    }

    @Test
    void runUntilRunsDueEventsInclusiveAndAdvancesClock() {
        Simulation sim = new Simulation();
        List<Long> ran = new ArrayList<>();
        for (long t : new long[] {100, 200, 300}) {
            sim.scheduleAt(t, () -> ran.add(sim.now()));
        }
        sim.runUntil(200);
        assertEquals(List.of(100L, 200L), ran);
        assertEquals(200, sim.now());
        sim.runUntil(250);
        assertEquals(250, sim.now());
        assertEquals(List.of(100L, 200L), ran);
        sim.runFor(50);
        assertEquals(List.of(100L, 200L, 300L), ran);
        assertThrows(IllegalArgumentException.class, () -> sim.runUntil(10));
    }

    @Test
    void stopEndsTheRunAndKeepsLaterEvents() {
        Simulation sim = new Simulation();
        List<Long> ran = new ArrayList<>();
        sim.scheduleAt(1, () -> {
            ran.add(sim.now());
            sim.stop();
        });
        sim.scheduleAt(2, () -> ran.add(sim.now()));
        sim.runUntil(10);
        assertEquals(List.of(1L), ran);
        assertEquals(1, sim.now());
        sim.run();
        assertEquals(List.of(1L, 2L), ran);
    }

    @Test
    void rejectsThePast() {
        Simulation sim = new Simulation();
        sim.runUntil(100);
        assertThrows(IllegalArgumentException.class, () -> sim.scheduleAt(99, () -> {}));
        assertThrows(IllegalArgumentException.class, () -> sim.schedule(-1, () -> {}));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> sim.timer(() -> {}).armAt(5));
        assertTrue(e.getMessage().contains("before the current time"), e.getMessage());
    }

    @Test
    void timerRearmLaterFiresOnceAtNewDeadline() {
        Simulation sim = new Simulation();
        List<Long> fired = new ArrayList<>();
        Timer timer = sim.timer(() -> fired.add(sim.now()));
        timer.arm(100);
        sim.runUntil(50);
        timer.arm(100); // now due at 150
        sim.runUntil(120);
        assertTrue(fired.isEmpty());
        assertEquals(150, timer.deadlineNanos());
        sim.run();
        assertEquals(List.of(150L), fired);
        assertFalse(timer.isArmed());
    }

    @Test
    void timerRearmEarlierAndCancel() {
        Simulation sim = new Simulation();
        List<Long> fired = new ArrayList<>();
        Timer timer = sim.timer(() -> fired.add(sim.now()));
        timer.arm(100);
        timer.arm(10);
        sim.run();
        assertEquals(List.of(10L), fired);
        timer.arm(5);
        timer.cancel();
        timer.cancel();
        sim.run();
        assertEquals(List.of(10L), fired);
        assertEquals(Timer.NO_DEADLINE, timer.deadlineNanos());
    }

    @Test
    void supersededTimerEntriesAreSkippedLikeCancelledEventsAndArmingAllocatesNothing() {
        Simulation sim = new Simulation();
        List<Long> fired = new ArrayList<>();
        Timer timer = sim.timer(() -> fired.add(sim.now()));
        timer.arm(100);
        timer.arm(50); // the entry at 100 is now stale
        timer.cancel();
        timer.arm(30); // and so is the one at 50
        assertEquals(3, sim.queuedEvents(), "stale entries stay queued, as cancelled events do");
        sim.run();
        assertEquals(List.of(30L), fired);
        assertEquals(1, sim.eventsProcessed(), "stale entries are not events");
        assertEquals(0, sim.queuedEvents());

        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        int[] expiries = new int[1];
        Timer counting = sim.timer(() -> expiries[0]++);
        long before = 0;
        for (int i = 0; i < 60_000; i++) {
            if (i == 50_000) {
                before = mx.getThreadAllocatedBytes(self);
            }
            counting.arm(10 + (i & 7)); // the earlier of two arms queues a new entry
            counting.arm(1 + (i & 3));
            sim.runFor(20);
        }
        long allocated = mx.getThreadAllocatedBytes(self) - before;
        assertEquals(60_000, expiries[0]);
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes for 20000 timer arms and 10000 expiries");
    }

    @Test
    void aWatcherHearsTheTimeEveryNEventsAndChangesNothing() {
        List<Long> heard = new ArrayList<>();
        List<Long> ran = new ArrayList<>();
        Simulation sim = new Simulation();
        for (int i = 1; i <= 10; i++) {
            sim.schedule(i * 100L, () -> ran.add(sim.now()));
        }
        sim.watch(3, heard::add);
        sim.runUntil(650);
        sim.runUntil(2_000);
        assertEquals(List.of(300L, 600L, 900L), heard, "after events 3, 6 and 9, across two runs");
        assertEquals(10, ran.size());
        assertThrows(IllegalArgumentException.class, () -> sim.watch(0, heard::add));
    }
}
