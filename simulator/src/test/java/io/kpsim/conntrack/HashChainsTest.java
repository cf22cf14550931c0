package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The singly linked bucket chains: head insertion, removal anywhere, and a walk that deletes as it goes. */
class HashChainsTest {

    private static List<Integer> walk(HashChains c, int bucket) {
        List<Integer> nodes = new ArrayList<>();
        for (int h = c.first(bucket); h >= 0; h = c.next(h)) {
            nodes.add(h);
        }
        return nodes;
    }

    @Test
    void nodesAreLinkedAtTheHeadAndRemovedFromAnywhere() {
        HashChains c = new HashChains(8);
        for (int h : new int[] {0, 5, 9, 200}) {
            c.insert(h, 3);
        }
        c.insert(7, 4);
        assertEquals(List.of(200, 9, 5, 0), walk(c, 3));
        assertEquals(3, c.nextUsed(0));
        assertFalse(c.linked(1));
        assertFalse(c.linked(1000));
        c.remove(9, 3); // middle
        assertEquals(List.of(200, 5, 0), walk(c, 3));
        c.remove(0, 3); // tail
        assertEquals(List.of(200, 5), walk(c, 3));
        c.remove(200, 3); // head
        assertEquals(List.of(5), walk(c, 3));
        c.remove(200, 3); // no longer linked: nothing happens
        assertEquals(List.of(5), walk(c, 3));
        c.remove(5, 3);
        assertEquals(List.of(), walk(c, 3));
        assertEquals(4, c.nextUsed(0), "an emptied bucket leaves the bitmap");
        assertEquals(List.of(7), walk(c, 4));
        c.insert(9, 3); // linked again after its removal
        assertTrue(c.linked(9));
        assertEquals(List.of(9), walk(c, 3));
    }

    @Test
    void aRemovedNodeKeepsItsSuccessorForTheWalkStandingOnIt() {
        HashChains c = new HashChains(4);
        for (int h = 0; h < 6; h++) {
            c.insert(h, 1);
        }
        List<Integer> seen = new ArrayList<>();
        for (int h = c.first(1); h >= 0; h = c.next(h)) {
            seen.add(h);
            if (h % 2 == 1) {
                c.remove(h, 1); // as early_drop_list() and the gc worker delete the node they stand on
                assertFalse(c.linked(h));
            }
        }
        assertEquals(List.of(5, 4, 3, 2, 1, 0), seen);
        assertEquals(List.of(4, 2, 0), walk(c, 1));
        assertEquals(3, c.length(1, 10));
    }

    @Test
    void removingFromAnotherBucketIsAnInternalError() {
        HashChains c = new HashChains(4);
        c.insert(1, 0);
        c.insert(2, 2);
        assertThrows(IllegalStateException.class, () -> c.remove(1, 2));
    }
}
