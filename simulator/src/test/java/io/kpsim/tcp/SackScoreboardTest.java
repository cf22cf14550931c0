package io.kpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.SackBlock;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SackScoreboardTest {

    @Test
    void mergesSkipsAndFindsHoles() {
        SackScoreboard b = new SackScoreboard();
        b.add(30, 40);
        b.add(10, 20);
        b.add(20, 25); // adjacent: merges with [10, 20)
        assertEquals(25, b.skipSacked(10));
        assertEquals(25, b.skipSacked(24));
        assertEquals(25, b.skipSacked(25));
        assertEquals(10, b.nextSackedStart(0));
        assertEquals(30, b.nextSackedStart(10));
        assertEquals(40, b.highestSacked());
        assertEquals(5, b.nextHole(5));
        assertEquals(25, b.nextHole(10));
        assertEquals(-1, b.nextHole(40));
        b.add(5, 35); // swallows both
        assertEquals(40, b.skipSacked(5));
        b.discardBelow(38);
        assertEquals(40, b.skipSacked(38));
        b.discardBelow(40);
        assertTrue(b.isEmpty());
    }

    @Test
    void recordSeparatesDsackFromSackAcrossSequenceWrap() {
        SackScoreboard b = new SackScoreboard();
        int unaSeq = 0xfffffff0; // wraps within the blocks
        long una = 1000;
        List<SackBlock> blocks =
                List.of(new SackBlock(unaSeq - 100, unaSeq - 50), new SackBlock(unaSeq + 100, unaSeq + 200));
        assertTrue(b.record(blocks, unaSeq, unaSeq, una, una + 1000));
        assertEquals(una + 100, b.nextSackedStart(una));
        assertEquals(una + 200, b.highestSacked());
        assertFalse(
                b.record(List.of(new SackBlock(unaSeq + 300, unaSeq + 400)), unaSeq, unaSeq, una, una + 350),
                "beyond SND.MAX: ignored, not a D-SACK");
        assertEquals(una + 200, b.highestSacked());
    }

    @Test
    void matchesABitSetModelOnRandomOperations() {
        SplittableRandom r = new SplittableRandom(5);
        SackScoreboard b = new SackScoreboard();
        boolean[] model = new boolean[400];
        long floor = 0;
        for (int step = 0; step < 3000; step++) {
            if (r.nextInt(10) == 0) {
                floor = Math.min(399, floor + r.nextInt(20));
                b.discardBelow(floor);
                for (int i = 0; i < floor; i++) {
                    model[i] = false;
                }
            } else {
                int s = (int) floor + r.nextInt(Math.max(1, 380 - (int) floor));
                int e = Math.min(400, s + 1 + r.nextInt(15));
                b.add(s, e);
                for (int i = s; i < e; i++) {
                    model[i] = true;
                }
            }
            int probe = (int) floor + r.nextInt(Math.max(1, 400 - (int) floor));
            long expectedSkip = probe;
            while (expectedSkip < 400 && model[(int) expectedSkip]) {
                expectedSkip++;
            }
            assertEquals(expectedSkip, b.skipSacked(probe), "step " + step);
        }
    }
}
