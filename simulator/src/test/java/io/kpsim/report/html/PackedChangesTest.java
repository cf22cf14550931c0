package io.kpsim.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.kpsim.conntrack.TcpState;
import io.kpsim.conntrack.Tuple;
import io.kpsim.packet.Protocol;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ring's conntrack changes held as numbers give back exactly the entries put in: every field at
 * its extremes (32-bit addresses and sequence numbers with the top bit set, every TCP state and
 * none), and no change, no entry before or no entry after kept apart.
 */
class PackedChangesTest {

    private static final long[] EDGES = {0, 1, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFEL, 0xFFFF_FFFFL};

    private static long u32(Random r) {
        return r.nextInt(4) == 0 ? EDGES[r.nextInt(EDGES.length)] : r.nextLong() & 0xFFFF_FFFFL;
    }

    private static Tuple tuple(Random r, Protocol p) {
        return new Tuple(p, (int) u32(r), r.nextInt(65_536), (int) u32(r), r.nextInt(65_536));
    }

    private static CtWindow window(Random r) {
        return new CtWindow(u32(r), u32(r), u32(r), r.nextInt(15));
    }

    private static CtEntry entry(Random r) {
        Protocol p = Protocol.values()[r.nextInt(Protocol.values().length)];
        TcpState[] states = TcpState.values();
        TcpState state = r.nextInt(states.length + 1) == 0 ? null : states[r.nextInt(states.length)];
        return new CtEntry(tuple(r, p), tuple(r, p), state, window(r), window(r));
    }

    @Test
    void everyChangeComesBackAsItWasPut() {
        Random r = new Random(17);
        PackedChanges packed = new PackedChanges(64);
        for (int i = 0; i < 20_000; i++) {
            int slot = r.nextInt(64);
            CtEntry before = r.nextInt(5) == 0 ? null : entry(r);
            CtEntry after = r.nextInt(5) == 0 ? null : entry(r);
            CtChange change = new CtChange(before, after);
            packed.put(slot, change);
            assertEquals(change, packed.get(slot), "change " + i);
            long[] words = new long[PackedChanges.ENTRY];
            if (before != null) {
                PackedChanges.pack(before, words, 0);
                assertEquals(before, PackedChanges.unpack(words, 0), "entry " + i);
            }
        }
    }

    @Test
    void noChangeIsNullAndAnUnchangedEntryIsOneRecord() {
        Random r = new Random(4);
        PackedChanges packed = new PackedChanges(2);
        CtEntry e = entry(r);
        packed.put(0, new CtChange(e, e));
        CtChange back = packed.get(0);
        assertEquals(e, back.before());
        assertSame(back.before(), back.after(), "an unchanged entry is shared, as the witness always did");
        packed.clear(0);
        assertNull(packed.get(0));
        packed.put(1, null);
        assertNull(packed.get(1));
        packed.put(1, new CtChange(null, null));
        assertEquals(new CtChange(null, null), packed.get(1), "a change with no entry is not no change");
    }
}
