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
}
