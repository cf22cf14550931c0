package io.kpsim.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link KeyTable} against {@link HashMap} over random operations, through growth and deletion runs. */
class KeyTableTest {

    @Test
    void agreesWithHashMapOverRandomOperations() {
        for (long seed = 1; seed <= 3; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            KeyTable<String> table = new KeyTable<>(8);
            Map<Long, String> model = new HashMap<>();
            for (int op = 0; op < 300_000; op++) {
                // few distinct keys, so puts replace, removes hit and probe runs wrap the table
                long key = random.nextInt(4096) * 0x1_0000_0001L - (random.nextBoolean() ? 0 : 1L << 40);
                switch (random.nextInt(4)) {
                    case 0, 1 -> {
                        String v = "v" + op;
                        assertEquals(model.put(key, v), table.put(key, v));
                    }
                    case 2 -> assertEquals(model.remove(key), table.remove(key));
                    default -> {
                        String expected = model.get(key);
                        if (expected != null) {
                            table.remove(key, "not the value"); // a different value: the key stays
                            assertSame(expected, table.get(key));
                            table.remove(key, expected);
                            model.remove(key);
                        }
                    }
                }
                assertEquals(model.get(key), table.get(key));
                assertEquals(model.size(), table.size());
            }
            for (Map.Entry<Long, String> e : model.entrySet()) {
                assertSame(e.getValue(), table.get(e.getKey()));
                assertTrue(table.contains(e.getKey()));
            }
        }
    }

    @Test
    void zeroIsAKeyLikeAnyOther() {
        KeyTable<Boolean> table = new KeyTable<>(1);
        assertFalse(table.contains(0));
        assertNull(table.put(0, Boolean.TRUE));
        assertTrue(table.contains(0));
        assertEquals(Boolean.TRUE, table.remove(0));
        assertFalse(table.contains(0));
    }

    @Test
    void nullValuesAreRefused() {
        KeyTable<String> table = new KeyTable<>(1);
        assertThrows(IllegalArgumentException.class, () -> table.put(5, null));
    }

    /** Random puts, gets and removes agree with a HashMap, through growth and backward-shift deletion. */
    @Test
    void behavesLikeAHashMapWithSequentialAndFarApartKeys() {
        for (long seed = 1; seed <= 5; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            KeyTable<Long> table = new KeyTable<>(4);
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
        KeyTable<String> table = new KeyTable<>(16);
        assertNull(table.get(0));
        assertNull(table.remove(-1));
        table.put(0, "zero");
        assertEquals("zero", table.get(0));
        assertThrows(IllegalArgumentException.class, () -> table.put(1, null));
    }
}
