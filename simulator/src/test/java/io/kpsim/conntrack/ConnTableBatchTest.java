package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link ConnTable#getBatch} against single lookups. */
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
}
