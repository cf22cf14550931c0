package io.kpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link OpenSockets} against the {@code LinkedHashSet} it replaced, over random opens and closes. */
class OpenSocketsTest {

    /** A handler with nothing but its slot. */
    private static final class Handler extends OpenSession {}

    @Test
    void listsWhatALinkedHashSetWouldInTheSameOrder() {
        for (long seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            OpenSockets<String> open = new OpenSockets<>();
            Set<String> reference = new LinkedHashSet<>();
            List<String> names = new ArrayList<>();
            List<Handler> handlers = new ArrayList<>();
            int closeBias = random.nextInt(60) + 20;
            for (int step = 0; step < 3_000; step++) {
                if (names.isEmpty() || random.nextInt(100) >= closeBias) {
                    String name = "s" + step;
                    Handler h = new Handler();
                    names.add(name);
                    handlers.add(h);
                    open.add(name, h);
                    reference.add(name);
                } else {
                    int i = random.nextInt(names.size());
                    open.remove(handlers.get(i)); // closing twice, or a socket never listed: nothing
                    reference.remove(names.get(i));
                    if (random.nextBoolean()) {
                        names.remove(i);
                        handlers.remove(i);
                    }
                }
                if (step % 97 == 0) {
                    assertEquals(new ArrayList<>(reference), open.list(), "seed " + seed + " step " + step);
                }
            }
            assertEquals(new ArrayList<>(reference), open.list(), "seed " + seed);
            assertEquals(reference.size(), open.size());
        }
    }

    @Test
    void neverListedIsRemovedAsNothing() {
        OpenSockets<String> open = new OpenSockets<>();
        open.add("a", new Handler());
        open.remove(new Handler());
        assertEquals(List.of("a"), open.list());
    }

    @Test
    void listingTheSameHandlerTwiceIsABug() {
        OpenSockets<String> open = new OpenSockets<>();
        Handler h = new Handler();
        open.add("a", h);
        assertThrows(IllegalStateException.class, () -> open.add("a", h));
    }
}
