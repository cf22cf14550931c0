package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link ConnTable#getBatch} against single lookups, and {@link ConnTable#neighbours}. */
class ConnTableBatchTest {

    @Test
    void batchAnswersEqualSingleLookupsForEveryCount() {
        SplittableRandom random = new SplittableRandom(10);
        int n = 5000;
        long[] highs = new long[n];
        long[] lows = new long[n];
        ConnTable table = new ConnTable(0, 31);
        int present = 0;
        for (int i = 0; i < n; i++) {
            highs[i] = ConnTable.keyHigh(random.nextInt(), random.nextInt());
            lows[i] = ConnTable.keyLow(random.nextBoolean() ? 6 : 17, random.nextInt(65536), random.nextInt(65536));
            if (random.nextInt(3) > 0
                    && table.putIfAbsent(highs[i], lows[i], random.nextInt(ConnTable.MAX_VALUE + 1))) {
                present++;
            }
        }
        assertEquals(present, table.size());
        int[] expected = new int[n];
        for (int i = 0; i < n; i++) {
            expected[i] = table.get(highs[i], lows[i]);
        }
        assertTrue(Arrays.stream(expected).anyMatch(v -> v == ConnTable.NOT_FOUND), "misses in the mix");
        for (int count : new int[] {0, 1, 15, 16, 31, 32, 33, 63, 64, 65, 100, 128, 129, n}) {
            int[] values = new int[count + 3];
            Arrays.fill(values, -7);
            table.getBatch(highs, lows, count, values);
            assertArrayEquals(Arrays.copyOf(expected, count), Arrays.copyOf(values, count), "count " + count);
            assertEquals(-7, values[count], "nothing written past count");
        }
    }

    @Test
    void neighboursScanTheSlotsFromTheHomeSlotSkippingEmptyOnes() {
        ConnTable table = new ConnTable(4, 41); // 16 slots
        SplittableRandom random = new SplittableRandom(11);
        long[][] byHome = new long[16][];
        int inserted = 0;
        while (inserted < 8) {
            long high = random.nextLong();
            long low = ConnTable.keyLow(6, random.nextInt(65536), 80);
            int home = table.homeSlot(high, low);
            // One key per home slot for even slots 0..14, so slot s holds value s (even) or is empty.
            if (home % 2 == 0 && byHome[home] == null) {
                byHome[home] = new long[] {high, low};
                assertTrue(table.putIfAbsent(high, low, 100 + home));
                inserted++;
            }
        }
        long[] at12 = byHome[12];
        int[] values = new int[16];
        // Slots 12, 13, 14, 15, 0, 1, 2, 3: occupied are 12, 14, 0, 2.
        assertEquals(4, table.neighbours(at12[0], at12[1], 8, values));
        assertArrayEquals(new int[] {112, 114, 100, 102}, Arrays.copyOf(values, 4));
        assertEquals(1, table.neighbours(at12[0], at12[1], 1, values));
        assertEquals(0, table.neighbours(at12[0], at12[1], 0, values));
        assertEquals(
                8, table.neighbours(at12[0], at12[1], 16, values), "a scan wider than the table stops at capacity");

        // A new tuple's neighbourhood is keyed by its own home slot, present or not.
        long newHigh;
        long newLow;
        do {
            newHigh = random.nextLong();
            newLow = ConnTable.keyLow(17, random.nextInt(65536), 53);
        } while (table.homeSlot(newHigh, newLow) != 5);
        assertEquals(ConnTable.NOT_FOUND, table.get(newHigh, newLow));
        assertEquals(2, table.neighbours(newHigh, newLow, 4, values)); // slots 5..8: 6, 8
        assertArrayEquals(new int[] {106, 108}, Arrays.copyOf(values, 2));
    }
}
