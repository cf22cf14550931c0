package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link TupleIndex} against a reference map: random inserts and removals through growth and
 * backward shifts, every key found where the map has it and nowhere else, and the bucket hash the
 * same as {@link ConnTable}'s for the same seed (the chains, and so every output, depend on it),
 * and a batch's touches landing on the entries its keys have.
 */
class TupleIndexTest {

    /** The tuple of tuplehash {@code h}, distinct per {@code h} and per round. */
    private static long high(int h, int round) {
        return ((long) (0x0af4_0000 + h) << 32) | (0x0a60_0000L + round);
    }

    private static long low(int h) {
        return ConnTable.keyLow(6, 1024 + (h & 0x7fff), 80 + (h >>> 15));
    }

    @Test
    void randomInsertsAndRemovalsAgreeWithAMapThroughGrowth() {
        TupleIndex index = randomInsertsAndRemovals(0);
        assertTrue(index.size() <= index.capacity() / 2, "load " + index.size() + "/" + index.capacity());
        assertEquals(1, Integer.bitCount(index.capacity()), "capacity " + index.capacity());
    }

    @Test
    void aReservedTableIsExactlyItsRoomUntilFullThenGrowsToAPowerOfTwo() {
        // 1,500 slots for 500 entries (1,000 keys, load 2/3): the walk's random inserts and removals
        // stay below it for a while, with home slots by reciprocal_scale over a capacity that is not a
        // power of two and backward shifts across its wrap, then pass it and grow
        TupleIndex index = randomInsertsAndRemovals(500);
        assertTrue(index.capacity() > 1_500 && Integer.bitCount(index.capacity()) == 1, "capacity " + index.capacity());
        assertTrue(index.size() <= index.capacity() / 2, "load " + index.size() + "/" + index.capacity());
        EntryStore store = new EntryStore(16);
        TupleIndex reserved = new TupleIndex(4, 7, store);
        reserved.reserve(500);
        assertEquals(1_500, reserved.capacity());
        for (int e = 0; e < 500; e++) {
            assertEquals(e, store.allocate());
            store.setTuples(e, high(2 * e, 0), low(2 * e), high(2 * e + 1, 0), low(2 * e + 1), 6);
            assertTrue(reserved.putIfAbsent(high(2 * e, 0), low(2 * e), TupleHashRef.original(e)));
            assertTrue(reserved.putIfAbsent(high(2 * e + 1, 0), low(2 * e + 1), TupleHashRef.reply(e)));
        }
        assertEquals(1_500, reserved.capacity(), "full, not grown");
        int e = store.allocate();
        store.setTuples(e, high(2 * e, 0), low(2 * e), high(2 * e + 1, 0), low(2 * e + 1), 6);
        assertTrue(reserved.putIfAbsent(high(2 * e, 0), low(2 * e), TupleHashRef.original(e)));
        assertEquals(2_048, reserved.capacity(), "past it, the power of two at load 1/2 or below");
        for (int k = 0; k <= e; k++) {
            assertEquals(TupleHashRef.original(k), reserved.get(high(2 * k, 0), low(2 * k)));
        }
        assertThrows(IllegalStateException.class, () -> reserved.reserve(10_000));
    }

    /** 40,000 random inserts and removals checked against a map, into a table reserved for {@code reserve}. */
    private static TupleIndex randomInsertsAndRemovals(int reserve) {
        EntryStore store = new EntryStore(16);
        TupleIndex index = new TupleIndex(4, 7, store);
        if (reserve > 0) {
            index.reserve(reserve);
        }
        Map<Integer, Integer> held = new HashMap<>(); // entry -> round of its keys
        List<Integer> order = new ArrayList<>(); // the held entries, to draw one from
        SplittableRandom random = new SplittableRandom(11);
        for (int step = 0; step < 40_000; step++) {
            if (held.isEmpty() || random.nextInt(5) < 3) {
                int e = store.allocate();
                int round = step;
                store.setTuples(e, high(2 * e, round), low(2 * e), high(2 * e + 1, round), low(2 * e + 1), 6);
                assertTrue(index.putIfAbsent(high(2 * e, round), low(2 * e), TupleHashRef.original(e)));
                assertTrue(index.putIfAbsent(high(2 * e + 1, round), low(2 * e + 1), TupleHashRef.reply(e)));
                assertFalse(index.putIfAbsent(high(2 * e, round), low(2 * e), TupleHashRef.reply(e)), "a clash");
                held.put(e, round);
                order.add(e);
            } else {
                int i = random.nextInt(order.size());
                int e = order.get(i);
                order.set(i, order.get(order.size() - 1));
                order.remove(order.size() - 1);
                int round = held.remove(e);
                assertEquals(TupleHashRef.reply(e), index.remove(high(2 * e + 1, round), low(2 * e + 1)));
                assertEquals(TupleHashRef.original(e), index.remove(high(2 * e, round), low(2 * e)));
                assertEquals(ConnTable.NOT_FOUND, index.remove(high(2 * e, round), low(2 * e)));
                store.free(e);
            }
            if (step % 997 == 0) {
                for (Map.Entry<Integer, Integer> m : held.entrySet()) {
                    int e = m.getKey();
                    assertEquals(TupleHashRef.original(e), index.get(high(2 * e, m.getValue()), low(2 * e)));
                    assertEquals(TupleHashRef.reply(e), index.get(high(2 * e + 1, m.getValue()), low(2 * e + 1)));
                    assertEquals(ConnTable.NOT_FOUND, index.get(high(2 * e, m.getValue() + 1), low(2 * e)));
                }
            }
        }
        assertEquals(2 * held.size(), index.size());
        assertEquals(16 + 8L * index.capacity(), index.memoryBytes());
        return index;
    }

    @Test
    void batchLookupsGiveWhatSingleLookupsGive() {
        EntryStore store = new EntryStore(16);
        TupleIndex index = new TupleIndex(0, 3, store);
        int n = 300;
        long[] highs = new long[2 * n];
        long[] lows = new long[2 * n];
        for (int e = 0; e < n; e++) {
            assertEquals(e, store.allocate());
            store.setTuples(e, high(2 * e, 0), low(2 * e), high(2 * e + 1, 0), low(2 * e + 1), 6);
            if (e % 3 != 0) { // a third of the entries stay out: misses
                index.putIfAbsent(high(2 * e, 0), low(2 * e), TupleHashRef.original(e));
                index.putIfAbsent(high(2 * e + 1, 0), low(2 * e + 1), TupleHashRef.reply(e));
            }
            highs[2 * e] = high(2 * e, 0);
            lows[2 * e] = low(2 * e);
            highs[2 * e + 1] = high(2 * e + 1, 0);
            lows[2 * e + 1] = low(2 * e + 1);
        }
        int[] values = new int[2 * n];
        index.getBatch(highs, lows, 2 * n, values);
        for (int i = 0; i < 2 * n; i++) {
            assertEquals(index.get(highs[i], lows[i]), values[i]);
            assertEquals((i / 2) % 3 == 0 ? ConnTable.NOT_FOUND : i, values[i]);
        }
    }

    @Test
    void aTouchBatchTouchesTheEntryOfEachKeyPresentAndNoneForAKeyAbsent() {
        touchBatchTouchesThePresentKeysOnly(false);
    }

    @Test
    void aTouchBatchFindsTheHomeSlotsOfAReservedTableWhoseCapacityIsNoPowerOfTwo() {
        touchBatchTouchesThePresentKeysOnly(true);
    }

    private static void touchBatchTouchesThePresentKeysOnly(boolean reserved) {
        EntryStore store = new EntryStore(16);
        TupleIndex index = new TupleIndex(0, 5, store);
        int n = 300;
        if (reserved) {
            index.reserve(n);
            assertEquals(900, index.capacity());
        }
        long[] highs = new long[2 * n];
        long[] lows = new long[2 * n];
        long expected = 0;
        for (int e = 0; e < n; e++) {
            assertEquals(e, store.allocate());
            store.setTuples(e, high(2 * e, 0), low(2 * e), high(2 * e + 1, 0), low(2 * e + 1), 6);
            store.setDeadline(e, 1_000_000L * e);
            highs[2 * e] = high(2 * e, 0);
            lows[2 * e] = low(2 * e);
            highs[2 * e + 1] = high(2 * e + 1, 0);
            lows[2 * e + 1] = low(2 * e + 1);
            if (e % 3 != 0) { // a third of the entries stay out: nothing of theirs is touched
                index.putIfAbsent(highs[2 * e], lows[2 * e], TupleHashRef.original(e));
                index.putIfAbsent(highs[2 * e + 1], lows[2 * e + 1], TupleHashRef.reply(e));
                expected += 2 * store.touch(e); // found by either tuple
            }
        }
        assertEquals(expected, index.touchBatch(highs, lows, 2 * n)); // 600 keys: ten windows
        assertEquals(0, index.touchBatch(highs, lows, 0));
        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> index.touchBatch(new long[2], new long[3], 3));
        assertEquals(
                "TupleIndex.touchBatch: count 3 is negative or exceeds an array (keyHighs 2, keyLows 3)",
                refused.getMessage());
    }

    @Test
    void theBucketHashIsConnTablesForTheSameSeed() {
        TupleIndex index = new TupleIndex(16, 42, new EntryStore(16));
        ConnTable table = new ConnTable(16, 42);
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 1000; i++) {
            long h = random.nextLong();
            long l = random.nextLong() & EntryLayout.KEY_LOW_MASK;
            assertEquals(table.hash32(h, l), index.hash32(h, l));
        }
    }

    @Test
    void aBatchLongerThanItsArraysIsRefusedNamingTheTable() {
        TupleIndex index = new TupleIndex(4, 1, new EntryStore(4));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> index.getBatch(new long[2], new long[2], 3, new int[3]));
        assertEquals(
                "TupleIndex.getBatch: count 3 is negative or exceeds an array (keyHighs 2, keyLows 2, values 3)",
                e.getMessage());
    }
}
