package io.kpsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongTableTest {

    /** Random puts, gets and removes agree with a HashMap, through growth and backward-shift deletion. */
    @Test
    void behavesLikeAHashMap() {
        for (long seed = 1; seed <= 5; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            LongTable<Long> table = new LongTable<>(4);
            Map<Long, Long> expected = new HashMap<>();
            for (int op = 0; op < 200_000; op++) {
                // Few distinct keys, some sequential (packet ids), some far apart: many collisions and removals.
                long key = random.nextBoolean() ? random.nextInt(3_000) : (long) random.nextInt(3_000) << 40;
                switch (random.nextInt(3)) {
                    case 0 -> {
                        long value = random.nextLong();
                        table.put(key, value);
                        expected.put(key, value);
                    }
                    case 1 -> assertEquals(expected.remove(key), table.remove(key), "remove " + key);
                    default -> assertEquals(expected.get(key), table.get(key), "get " + key);
                }
                assertEquals(expected.size(), table.size());
            }
            for (Map.Entry<Long, Long> e : expected.entrySet()) {
                assertEquals(e.getValue(), table.get(e.getKey()));
            }
        }
    }

    @Test
    void absentKeysAndNullValues() {
        LongTable<String> table = new LongTable<>();
        assertNull(table.get(0));
        assertNull(table.remove(-1));
        table.put(0, "zero");
        assertEquals("zero", table.get(0));
        assertThrows(IllegalArgumentException.class, () -> table.put(1, null));
    }
}
