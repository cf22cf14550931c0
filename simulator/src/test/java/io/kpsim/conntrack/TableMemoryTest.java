package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
