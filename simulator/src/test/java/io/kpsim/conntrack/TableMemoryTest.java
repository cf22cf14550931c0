package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Ip4;
import org.junit.jupiter.api.Test;

/**
 * The table grows on demand, and {@link TableMemory#bytesAtPeak}, which prices a run before it is
 * built, is exactly what its arrays take at every size: empty, before and after each doubling, at
 * kube-proxy's default {@code nf_conntrack_max} and beyond.
 */
class TableMemoryTest {

    private static final int A = Ip4.parse("10.244.1.2");
    private static final int B = Ip4.parse("10.244.2.2");

    @Test
    void aNewTableTakesLittleMoreThanItsBuckets() {
        Sysctls s = Sysctls.defaults(KernelProfile.V6_18);
        Conntrack ct = new Conntrack(KernelProfile.V6_18, s, 1);
        long buckets = s.buckets();
        assertEquals(TableMemory.bytesAtPeak(0, buckets), ct.heapBytes());
        // the bucket heads (4 bytes each) and the bitmap, plus the first 256 entries' worth
        assertTrue(ct.heapBytes() < 4 * buckets + buckets / 8 + 100_000, "bytes " + ct.heapBytes());
    }

    @Test
    void anUnlimitedTableIsPricedWithoutOverflowAtAnySize() {
        long previous = 0;
        for (long entries = 1; entries <= 1L << 40; entries <<= 1) {
            long bytes = TableMemory.bytesAtPeak(entries, 65_536);
            // flat up to the first 256 entries, then growing with the doublings
            assertTrue(entries <= 256 ? bytes >= previous : bytes > previous, entries + " entries: " + bytes);
            previous = bytes;
        }
        // at a power of two: 96 bytes of entry arrays, 32 of lookup table, 8 of chain links per entry
        long perEntry = 96 + 32 + 8;
        assertTrue(previous > perEntry << 40 && previous < (perEntry << 40) + (1 << 20), "2^40 entries: " + previous);
    }

    @Test
    void theArraysGrowByDoublingAndThePriceFollows() {
        // the default 262,144 buckets: with few, 5.15+ refuses inserts into chains over 80 long
        Sysctls s = Sysctls.defaults(KernelProfile.V6_18);
        long buckets = s.buckets();
        Conntrack ct = new Conntrack(KernelProfile.V6_18, s, 1);
        int held = 0;
        for (int target : new int[] {1, 255, 256, 257, 4096, 4097, 20_000, 131_072, 131_073}) {
            while (held < target) {
                Flow.handshakeOn(ct, A, B, 1024 + held % 60000, 80 + held / 60000, 0);
                held++;
            }
            assertEquals(held, ct.count());
            assertEquals(TableMemory.bytesAtPeak(held, buckets), ct.heapBytes(), "at " + held + " entries");
        }
        long perEntry = (ct.heapBytes() - TableMemory.bytesAtPeak(0, buckets)) / held;
        // just past a doubling every array is twice what it needs: 96 + 64 + 8 bytes at most twice
        assertTrue(perEntry <= 2 * (TableMemory.ENTRY_BYTES + 64 + 8), "bytes per entry " + perEntry);
    }

    @Test
    void aReservedTableHoldsItsPeakWithoutGrowingAndPastItTakesTheSizesDoublingWould() {
        Sysctls s = Sysctls.defaults(KernelProfile.V6_18);
        long buckets = s.buckets();
        long reserved = TableMemory.reservation(5_000, 0);
        assertEquals(5_079, reserved); // a sixty-fourth more, rounded up
        Conntrack ct = new Conntrack(KernelProfile.V6_18, s, 1);
        ct.reserve(reserved);
        long built = ct.heapBytes();
        assertEquals(TableMemory.bytesAtPeak(0, reserved, buckets), built);
        int held = 0;
        for (int target : new int[] {1, 5_000, 5_079, 5_080, 8_192, 8_193}) {
            while (held < target) {
                Flow.handshakeOn(ct, A, B, 1024 + held % 60000, 80 + held / 60000, 0);
                held++;
            }
            assertEquals(TableMemory.bytesAtPeak(held, reserved, buckets), ct.heapBytes(), "at " + held + " entries");
            if (held <= reserved) {
                assertEquals(built, ct.heapBytes(), "grew at " + held + " entries");
            } else {
                // past the reservation, exactly the arrays an unreserved table has at this size
                assertEquals(TableMemory.bytesAtPeak(held, buckets), ct.heapBytes(), "at " + held + " entries");
            }
        }
        // at its peak a reserved table holds about 96 + 32..64 + 8 bytes per entry, not twice that
        long atPeak = TableMemory.bytesAtPeak(5_000, reserved, buckets) - TableMemory.bytesAtPeak(0, buckets);
        assertTrue(atPeak / 5_000 < TableMemory.ENTRY_BYTES + 64 + 8 + 8, "bytes per entry " + atPeak / 5_000);
        assertTrue(atPeak < TableMemory.bytesAtPeak(5_000, buckets) - TableMemory.bytesAtPeak(0, buckets));
    }

    @Test
    void aReservationIsTheExpectedPeakAndASixtyFourthAtMostTheTablesMaximum() {
        assertEquals(0, TableMemory.reservation(0, 0));
        assertEquals(0, TableMemory.reservation(200, 0)); // the first arrays hold it
        assertEquals(101_563, TableMemory.reservation(100_000, 262_144));
        assertEquals(131_072, TableMemory.reservation(140_000, 131_072));
        assertEquals(1_015_625, TableMemory.reservation(1_000_000, 0));
    }

    @Test
    void aTableIsReservedOnlyBeforeItsFirstEntry() {
        Conntrack ct = new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 1);
        Flow.handshakeOn(ct, A, B, 1024, 80, 0);
        assertThrows(IllegalStateException.class, () -> ct.reserve(10_000));
    }
}
