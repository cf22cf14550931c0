package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConnTableTest {

    private record Key(long high, long low) {}

    private static Key randomKey(SplittableRandom random) {
        int protocol = random.nextInt(3) == 0 ? 17 : 6;
        return new Key(
                ConnTable.keyHigh(random.nextInt(), random.nextInt()),
                ConnTable.keyLow(protocol, random.nextInt(65536), random.nextInt(65536)));
    }

    @Test
    void packsTuplesAsDocumented() {
        assertEquals(0x0a000001_0a000102L, ConnTable.keyHigh(0x0a000001, 0x0a000102));
        assertEquals(0xffffffff_ffffffffL, ConnTable.keyHigh(-1, -1));
        assertEquals(0x06_9c41_0050L, ConnTable.keyLow(6, 40001, 80));
        assertEquals(0xff_ffff_ffffL, ConnTable.keyLow(-1, -1, -1));
        assertEquals(0x11_0000_0035L, ConnTable.keyLow(17, 0x10000, 53), "ports keep 16 bits");
    }

    @Test
    void storesBothDirectionsOfAConnection() {
        ConnTable table = new ConnTable(4, 1);
        long origHigh = ConnTable.keyHigh(0x0a000002, 0x0a600001);
        long origLow = ConnTable.keyLow(6, 40001, 80);
        long replyHigh = ConnTable.keyHigh(0x0a010002, 0x0a000002);
        long replyLow = ConnTable.keyLow(6, 8080, 40001);
        assertTrue(table.putIfAbsent(origHigh, origLow, 14));
        assertTrue(table.putIfAbsent(replyHigh, replyLow, 15));
        assertFalse(table.putIfAbsent(origHigh, origLow, 99), "a clash is refused");
        assertEquals(14, table.get(origHigh, origLow));
        assertEquals(15, table.get(replyHigh, replyLow));
        assertEquals(ConnTable.NOT_FOUND, table.get(origHigh, ConnTable.keyLow(17, 40001, 80)));
        assertEquals(2, table.size());
        assertEquals(14, table.remove(origHigh, origLow));
        assertEquals(ConnTable.NOT_FOUND, table.remove(origHigh, origLow));
        assertEquals(ConnTable.NOT_FOUND, table.get(origHigh, origLow));
        assertEquals(1, table.size());
    }

    @Test
    void acceptsTheExtremeKeysAndValues() {
        ConnTable table = new ConnTable(0, 7);
        assertTrue(table.putIfAbsent(0L, 0L, 0));
        assertTrue(table.putIfAbsent(-1L, ConnTable.keyLow(255, 65535, 65535), ConnTable.MAX_VALUE));
        assertEquals(0, table.get(0L, 0L));
        assertEquals(ConnTable.MAX_VALUE, table.get(-1L, ConnTable.keyLow(255, 65535, 65535)));
        assertEquals(ConnTable.NOT_FOUND, table.get(0L, 1L << 40), "a key with bits above 39 is never stored");
    }

    @Test
    void rejectsBadArgumentsWithNamedMessages() {
        ConnTable table = new ConnTable(4, 1);
        IllegalArgumentException tooBig =
                assertThrows(IllegalArgumentException.class, () -> table.putIfAbsent(1L, 2L, ConnTable.MAX_VALUE + 1));
        assertTrue(tooBig.getMessage().contains("value 16777215"), tooBig.getMessage());
        assertThrows(IllegalArgumentException.class, () -> table.putIfAbsent(1L, 2L, -1));
        assertThrows(IllegalArgumentException.class, () -> table.putIfAbsent(1L, 1L << 40, 0));
        assertThrows(IllegalArgumentException.class, () -> new ConnTable(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ConnTable(ConnTable.MAX_INITIAL_CONNECTIONS + 1, 1));
        assertThrows(IllegalArgumentException.class, () -> table.getBatch(new long[2], new long[2], 3, new int[3]));
        assertEquals(0, table.size(), "failed calls change nothing");
    }

    /** Random puts, gets and removes against HashMap, from an empty table through several resizes. */
    @Test
    void agreesWithHashMapOverRandomOperationsIncludingResize() {
        for (long seed = 1; seed <= 5; seed++) {
            SplittableRandom random = new SplittableRandom(seed * 7919);
            ConnTable table = new ConnTable(0, seed);
            Map<Key, Integer> model = new HashMap<>();
            List<Key> pool = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                pool.add(randomKey(random));
            }
            int initialCapacity = table.capacity();
            for (int op = 0; op < 60_000; op++) {
                // Bias toward growth for the first half, toward shrinking for the second.
                int removeWeight = op < 30_000 ? 3 : 6;
                Key key = pool.get(random.nextInt(pool.size()));
                int choice = random.nextInt(10);
                if (choice < removeWeight) {
                    Integer expected = model.remove(key);
                    assertEquals(
                            expected == null ? ConnTable.NOT_FOUND : expected,
                            table.remove(key.high(), key.low()),
                            "remove at op " + op);
                } else if (choice < 8) {
                    int value = random.nextInt(ConnTable.MAX_VALUE + 1);
                    boolean absent = !model.containsKey(key);
                    if (absent) {
                        model.put(key, value);
                    }
                    assertEquals(absent, table.putIfAbsent(key.high(), key.low(), value), "put at op " + op);
                } else {
                    Integer expected = model.get(key);
                    assertEquals(
                            expected == null ? ConnTable.NOT_FOUND : expected,
                            table.get(key.high(), key.low()),
                            "get at op " + op);
                }
                assertEquals(model.size(), table.size());
                assertTrue(table.size() <= table.capacity() / 2, "load stays at or below 1/2");
                if (op % 5000 == 0) {
                    for (Key k : pool) {
                        Integer expected = model.get(k);
                        assertEquals(expected == null ? ConnTable.NOT_FOUND : expected, table.get(k.high(), k.low()));
                    }
                }
            }
            assertTrue(table.capacity() > initialCapacity, "the run resized the table");
        }
    }

    @Test
    void sameSeedSameLayoutOtherSeedOtherLayout() {
        SplittableRandom random = new SplittableRandom(3);
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            keys.add(randomKey(random));
        }
        ConnTable a = new ConnTable(0, 11);
        ConnTable b = new ConnTable(0, 11);
        ConnTable c = new ConnTable(0, 12);
        for (int i = 0; i < keys.size(); i++) {
            Key k = keys.get(i);
            a.putIfAbsent(k.high(), k.low(), i);
            b.putIfAbsent(k.high(), k.low(), i);
            c.putIfAbsent(k.high(), k.low(), i);
        }
        int[] slotsA = keys.stream().mapToInt(k -> a.slotOf(k.high(), k.low())).toArray();
        int[] slotsB = keys.stream().mapToInt(k -> b.slotOf(k.high(), k.low())).toArray();
        int[] slotsC = keys.stream().mapToInt(k -> c.slotOf(k.high(), k.low())).toArray();
        assertArrayEquals(slotsA, slotsB);
        assertNotEquals(Arrays.toString(slotsA), Arrays.toString(slotsC));
    }

    @Test
    void memoryIsSixtyFourBytesPerConnectionAtOneMebiConnections() {
        int connections = 1 << 20;
        ConnTable table = new ConnTable(connections, 5);
        assertEquals(1 << 22, table.capacity());
        long slotBytes = table.memoryBytes() - ConnTable.ARRAY_HEADER_BYTES;
        assertEquals(64L * connections, slotBytes);
        SplittableRandom random = new SplittableRandom(8);
        int inserted = 0;
        while (inserted < 2 * connections) {
            if (table.putIfAbsent(random.nextLong(), random.nextLong() & 0xff_ffff_ffffL, inserted >>> 1)) {
                inserted++;
            }
        }
        assertEquals(1 << 22, table.capacity(), "2^21 keys fill 2^22 slots to exactly 1/2, no resize");
        assertEquals(64L * connections + ConnTable.ARRAY_HEADER_BYTES, table.memoryBytes());
        table.putIfAbsent(1L, 1L, 1);
        table.putIfAbsent(1L, 2L, 1);
        assertEquals(1 << 23, table.capacity(), "one key more doubles the table");
        assertEquals(16L * (1 << 23) + ConnTable.ARRAY_HEADER_BYTES, table.memoryBytes());
    }

    @Test
    void lookupsAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        SplittableRandom random = new SplittableRandom(4);
        int n = 4096;
        long[] highs = new long[n];
        long[] lows = new long[n];
        ConnTable table = new ConnTable(n, 9);
        for (int i = 0; i < n; i++) {
            highs[i] = random.nextLong();
            lows[i] = random.nextLong() & 0xff_ffff_ffffL;
            if (i % 2 == 0) {
                table.putIfAbsent(highs[i], lows[i], i); // odd keys stay absent: misses
            }
        }
        int[] values = new int[16];
        long[] batchHighs = new long[16];
        long[] batchLows = new long[16];
        long checksum = 0;
        long allocated = -1;
        for (int round = 0; round < 3; round++) { // later rounds run compiled code
            long before = threads.getThreadAllocatedBytes(thread);
            long calibration = threads.getThreadAllocatedBytes(thread) - before;
            before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 200_000; i++) {
                int k = i & (n - 1);
                checksum += table.get(highs[k], lows[k]);
                if ((k & 15) == 0) {
                    System.arraycopy(highs, k, batchHighs, 0, 16);
                    System.arraycopy(lows, k, batchLows, 0, 16);
                    table.getBatch(batchHighs, batchLows, 16, values);
                    checksum += values[3];
                }
            }
            allocated = threads.getThreadAllocatedBytes(thread) - before - calibration;
        }
        assertTrue(checksum != 0);
        assertEquals(0, allocated, "bytes allocated by 200,000 hits and misses, neighbours and batches");
    }

    /** An empty slot is all zeros, like the all-zero key: the probe must still tell them apart. */
    @Test
    void theAllZeroKeyIsAbsentFromEmptySlotsAndFoundOnceInserted() {
        ConnTable table = new ConnTable(4, 3);
        int[] values = new int[1];
        assertEquals(ConnTable.NOT_FOUND, table.get(0L, 0L));
        table.getBatch(new long[] {0L}, new long[] {0L}, 1, values);
        assertEquals(ConnTable.NOT_FOUND, values[0]);
        for (int i = 1; i <= 20; i++) {
            assertTrue(table.putIfAbsent(i, ConnTable.keyLow(6, i, 80), 100 + i));
        }
        assertEquals(ConnTable.NOT_FOUND, table.get(0L, 0L));
        assertTrue(table.putIfAbsent(0L, 0L, 0));
        assertEquals(0, table.get(0L, 0L));
        table.getBatch(new long[] {0L}, new long[] {0L}, 1, values);
        assertEquals(0, values[0]);
        assertEquals(0, table.remove(0L, 0L));
        assertEquals(ConnTable.NOT_FOUND, table.get(0L, 0L));
        for (int i = 1; i <= 20; i++) {
            assertEquals(100 + i, table.get(i, ConnTable.keyLow(6, i, 80)));
        }
    }
}
