package io.kpsim.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.Tuple;
import io.kpsim.packet.Protocol;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TupleSetTest {

    @Test
    void agreesWithAHashSetOnManyTuplesThatDifferInOneFieldEach() {
        SplittableRandom random = new SplittableRandom(17);
        TupleSet packed = new TupleSet();
        Set<Tuple> boxed = new HashSet<>();
        Protocol[] protocols = Protocol.values();
        for (int n = 0; n < 200_000; n++) {
            // few distinct values per field, so that tuples collide in all but one field often
            Tuple t = new Tuple(
                    protocols[random.nextInt(protocols.length)],
                    0x0af40000 | random.nextInt(64),
                    random.nextInt(40) * 1637,
                    random.nextInt(2) == 0 ? 0xffffffff : 0x0a60000a,
                    random.nextInt(30) == 0 ? 65535 : random.nextInt(50));
            assertEquals(boxed.add(t), packed.add(t), t::toString);
            assertTrue(packed.contains(t));
        }
        assertEquals(boxed.size(), packed.size());
        assertFalse(packed.contains(new Tuple(Protocol.TCP, 1, 2, 3, 4)));
    }

    @Test
    void aPortWiderThanSixteenBitsIsAnInternalError() {
        TupleSet set = new TupleSet();
        assertThrows(IllegalArgumentException.class, () -> set.add(new Tuple(Protocol.UDP, 1, 65536, 2, 53)));
        assertThrows(IllegalArgumentException.class, () -> set.add(new Tuple(Protocol.UDP, 1, 53, 2, -1)));
    }
}
