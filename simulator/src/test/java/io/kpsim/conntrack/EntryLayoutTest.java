package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the packing of {@link EntryLayout} and {@link TupleHashRef} against the types whose values
 * it stores: a new TCP state, flag class, {@code td_flags} bit or status bit that outgrows its field
 * fails here instead of corrupting a neighbouring field.
 */
class EntryLayoutTest {

    @Test
    void everyTcpStateFitsTheStateBits() {
        assertTrue(
                TcpState.values().length - 1 <= EntryLayout.STATE_MASK,
                TcpState.values().length + " states in a " + Integer.bitCount(EntryLayout.STATE_MASK) + "-bit field");
    }

    @Test
    void everyFlagClassFitsLastIndex() {
        int[] classes = {
            TcpConntrackTable.SYN_SET,
            TcpConntrackTable.SYNACK_SET,
            TcpConntrackTable.FIN_SET,
            TcpConntrackTable.ACK_SET,
            TcpConntrackTable.RST_SET,
            TcpConntrackTable.NONE_SET
        };
        for (int c : classes) {
            assertEquals(c, c & EntryLayout.LAST_INDEX_MASK, "flag class " + c);
        }
        for (int flags = 0; flags < 0x100; flags++) {
            int index = TcpConntrackTable.index(flags);
            assertEquals(index, index & EntryLayout.LAST_INDEX_MASK, "flags 0x" + Integer.toHexString(flags));
        }
    }

    @Test
    void bothDirectionsFitLastDir() {
        for (CtDir d : CtDir.values()) {
            assertEquals(d.ordinal(), d.ordinal() & EntryLayout.LAST_DIR_MASK, d.name());
        }
        assertEquals(31, EntryLayout.LAST_DIR_SHIFT, "last_dir is the top bit, as the ruler draws it");
    }

    @Test
    void everyTdFlagFitsItsByteAndEveryWindowScaleItsNibble() {
        for (int flag : constants(TcpSeenFlags.class, "F_")) {
            assertEquals(flag, flag & EntryLayout.TD_FLAGS_MASK, "flag 0x" + Integer.toHexString(flag));
        }
        assertEquals(
                TcpHeaderFields.MAX_WSCALE,
                TcpHeaderFields.MAX_WSCALE & EntryLayout.TD_SCALE_MASK,
                "TCP_MAX_WSCALE in td_scale");
    }

    @Test
    void theSmallFieldsTileTheIntWithoutOverlap() {
        long[] fields = {
            (long) EntryLayout.TD_FLAGS_MASK << EntryLayout.TD_FLAGS_SHIFT,
            (long) EntryLayout.TD_FLAGS_MASK << (EntryLayout.TD_FLAGS_SHIFT + EntryLayout.TD_FLAGS_BITS),
            (long) EntryLayout.TD_SCALE_MASK << EntryLayout.TD_SCALE_SHIFT,
            (long) EntryLayout.TD_SCALE_MASK << (EntryLayout.TD_SCALE_SHIFT + EntryLayout.TD_SCALE_BITS),
            (long) EntryLayout.STATE_MASK << EntryLayout.STATE_SHIFT,
            (long) EntryLayout.LAST_INDEX_MASK << EntryLayout.LAST_INDEX_SHIFT,
            (long) EntryLayout.LAST_DIR_MASK << EntryLayout.LAST_DIR_SHIFT
        };
        long union = 0;
        for (long f : fields) {
            assertEquals(0, union & f, "field 0x" + Long.toHexString(f) + " overlaps another");
            union |= f;
        }
        assertEquals(0xffff_ffffL, union, "the fields fill the 32 bits of SMALL exactly");
    }

    @Test
    void noStatusBitsCollideWithTheFreeSentinel() {
        List<Integer> bits = constants(Status.class, "");
        assertTrue(bits.size() >= 9, "Status bits found: " + bits);
        int union = 0;
        for (int bit : bits) {
            assertEquals(1, Integer.bitCount(bit), "status constant 0x" + Integer.toHexString(bit) + " is one bit");
            union |= bit;
        }
        // FREE is all ones; a real status is a subset of the union, so it can equal FREE only if the union does.
        assertNotEquals(EntryStore.FREE, union);
        assertNotEquals(EntryStore.FREE, union & EntryStore.FREE);
    }

    @Test
    void aTupleHashRefNamesItsEntryAndDirection() {
        for (int e : new int[] {0, 1, 2, 12345, TupleHashRef.MAX_ENTRIES - 1}) {
            for (int dir = 0; dir < 2; dir++) {
                int h = TupleHashRef.of(e, dir);
                assertEquals(e, TupleHashRef.entry(h));
                assertEquals(dir, TupleHashRef.dir(h));
                assertEquals(TupleHashRef.of(e, dir ^ 1), TupleHashRef.opposite(h));
                assertTrue(h >= 0 && h <= ConnTable.MAX_VALUE, "ref " + h + " fits a table value");
                assertTrue(h != ConnTable.NOT_FOUND);
            }
            assertEquals(TupleHashRef.of(e, 0), TupleHashRef.original(e));
            assertEquals(TupleHashRef.of(e, 1), TupleHashRef.reply(e));
        }
    }

    @Test
    void seenOfBothDirectionsLieInsideTheirEntrysLine() {
        for (int e : new int[] {0, 1, 7}) {
            for (int dir = 0; dir < 2; dir++) {
                int first = EntryLayout.seen(TupleHashRef.of(e, dir));
                assertTrue(first >= EntryLayout.line(e) + EntryLayout.SEEN);
                assertTrue(first + EntryLayout.SEEN_INTS <= EntryLayout.line(e + 1));
            }
        }
    }

    private static List<Integer> constants(Class<?> type, String prefix) {
        List<Integer> out = new ArrayList<>();
        for (Field f : type.getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isStatic(m)
                    && Modifier.isFinal(m)
                    && f.getType() == int.class
                    && f.getName().startsWith(prefix)
                    && !f.getName().endsWith("_MASK")) { // a mask is a union of bits, not one more
                try {
                    f.setAccessible(true);
                    out.add(f.getInt(null));
                } catch (IllegalAccessException x) {
                    throw new AssertionError(x);
                }
            }
        }
        return out;
    }
}
