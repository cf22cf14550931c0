package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Backward-shift deletion under forced collisions, and what the seed buys against crafted tuples. */
class ConnTableCollisionTest {

    private record Key(long high, long low) {}

    /** Draws random TCP keys until {@code count} of them have the given home slot in {@code table}. */
    private static List<Key> keysWithHome(ConnTable table, int home, int count, SplittableRandom random) {
        List<Key> keys = new ArrayList<>();
        while (keys.size() < count) {
            Key k = new Key(
                    ConnTable.keyHigh(random.nextInt(), random.nextInt()),
                    ConnTable.keyLow(6, random.nextInt(65536), 80));
            if (table.homeSlot(k.high(), k.low()) == home) {
                keys.add(k);
            }
        }
        return keys;
    }

    /** Linear probing's invariant: every slot between a key's home and its slot is occupied. */
    private static void assertNoGaps(ConnTable table, List<Key> present) {
        int mask = table.capacity() - 1;
        Set<Integer> occupied = new HashSet<>();
        for (Key k : present) {
            int slot = table.slotOf(k.high(), k.low());
            assertTrue(slot >= 0, "present key is reachable");
            occupied.add(slot);
        }
        assertEquals(present.size(), occupied.size());
        for (Key k : present) {
            int slot = table.slotOf(k.high(), k.low());
            for (int s = table.homeSlot(k.high(), k.low()); s != slot; s = (s + 1) & mask) {
                assertTrue(occupied.contains(s), "gap at slot " + s + " inside a probe run");
            }
        }
        assertEquals(present.size(), table.size());
    }

    @Test
    void backwardShiftAcrossTheWrapAround() {
        ConnTable table = new ConnTable(4, 21); // 16 slots
        assertEquals(16, table.capacity());
        SplittableRandom random = new SplittableRandom(1);
        List<Key> home14 = keysWithHome(table, 14, 3, random);
        Key a = home14.get(0);
        Key b = home14.get(1);
        Key c = home14.get(2);
        Key d = keysWithHome(table, 15, 1, random).get(0);
        Key e = keysWithHome(table, 0, 1, random).get(0);
        List<Key> present = new ArrayList<>(List.of(a, b, c, d, e));
        for (int i = 0; i < present.size(); i++) {
            assertTrue(table.putIfAbsent(present.get(i).high(), present.get(i).low(), i));
        }
        assertEquals(
                List.of(14, 15, 0, 1, 2),
                present.stream().map(k -> table.slotOf(k.high(), k.low())).toList());

        assertEquals(0, table.remove(a.high(), a.low()));
        present.remove(a);
        // Every key after the hole was displaced past it, so each moves back one slot.
        assertEquals(
                List.of(14, 15, 0, 1),
                present.stream().map(k -> table.slotOf(k.high(), k.low())).toList());
        assertNoGaps(table, present);

        assertEquals(3, table.remove(d.high(), d.low()));
        present.remove(d);
        assertEquals(
                List.of(14, 15, 0),
                present.stream().map(k -> table.slotOf(k.high(), k.low())).toList());
        assertEquals(2, table.get(c.high(), c.low()));
        assertEquals(4, table.get(e.high(), e.low()));
        assertNoGaps(table, present);
    }

    @Test
    void aKeyAtItsHomeIsNotShiftedBeforeIt() {
        ConnTable table = new ConnTable(4, 22);
        SplittableRandom random = new SplittableRandom(2);
        List<Key> home3 = keysWithHome(table, 3, 2, random);
        Key x = home3.get(0);
        Key y = home3.get(1);
        Key z = keysWithHome(table, 5, 1, random).get(0);
        Key w = keysWithHome(table, 4, 1, random).get(0);
        table.putIfAbsent(x.high(), x.low(), 1); // slot 3
        table.putIfAbsent(y.high(), y.low(), 2); // slot 4
        table.putIfAbsent(z.high(), z.low(), 3); // slot 5, its home
        table.putIfAbsent(w.high(), w.low(), 4); // home 4, displaced to 6
        assertEquals(6, table.slotOf(w.high(), w.low()));

        table.remove(x.high(), x.low());
        assertEquals(3, table.slotOf(y.high(), y.low()), "y moves home");
        assertEquals(5, table.slotOf(z.high(), z.low()), "z is at home and must stay");
        assertEquals(4, table.slotOf(w.high(), w.low()), "w jumps over z into the hole at its home");
        assertNoGaps(table, List.of(y, z, w));
    }

    /** Churn at constant occupancy in a crowded neighbourhood never strands a key. */
    @Test
    void churnAmongCollidingKeysKeepsEveryKeyReachable() {
        ConnTable table = new ConnTable(64, 23); // 256 slots
        SplittableRandom random = new SplittableRandom(3);
        List<Key> pool = new ArrayList<>();
        for (int home = 250; home < 262; home++) {
            pool.addAll(keysWithHome(table, home & 255, 8, random));
        }
        List<Key> present = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            Key k = pool.get(random.nextInt(pool.size()));
            if (present.contains(k)) {
                assertEquals(pool.indexOf(k), table.remove(k.high(), k.low()));
                present.remove(k);
            } else if (present.size() < 60) {
                assertTrue(table.putIfAbsent(k.high(), k.low(), pool.indexOf(k)));
                present.add(k);
            }
            if (step % 97 == 0) {
                assertNoGaps(table, present);
            }
        }
        assertEquals(256, table.capacity(), "no growth: occupancy stayed under 1/2");
        for (Key k : present) {
            table.remove(k.high(), k.low());
        }
        assertEquals(0, table.size());
        assertEquals(0, table.maxDisplacement());
    }

    /**
     * Tuples crafted so that the unseeded hash gives all of them the same value: pick the ports,
     * then solve for the addresses through the finaliser's and the multiplier's inverses. Unseeded, they all share one
     * home slot at every capacity and the table degenerates into a list; seeded, they scatter.
     */
    @Test
    void craftedTuplesDegradeAnUnseededTableButNotASeededOne() {
        int n = 2000;
        long target = 0x5eed_5eed_5eed_5eedL;
        List<Key> crafted = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long low = ConnTable.keyLow(6, 1024 + i, 443);
            long high = TupleHash.unseededPreimageHigh(target, low);
            crafted.add(new Key(high, low));
            assertEquals(target, TupleHash.hash(high, low, 0, 0));
        }
        ConnTable unseeded = ConnTable.unseeded(0);
        for (int i = 0; i < n; i++) {
            assertTrue(
                    unseeded.putIfAbsent(crafted.get(i).high(), crafted.get(i).low(), i));
        }
        assertEquals(n - 1, unseeded.maxDisplacement(), "one probe run holding every key");

        for (long seed = 1; seed <= 20; seed++) {
            ConnTable seeded = new ConnTable(0, seed);
            for (int i = 0; i < n; i++) {
                assertTrue(
                        seeded.putIfAbsent(crafted.get(i).high(), crafted.get(i).low(), i));
            }
            assertTrue(
                    seeded.maxDisplacement() < 48,
                    "seed " + seed + ": longest displacement " + seeded.maxDisplacement() + " for " + n + " keys");
            for (int i = 0; i < n; i++) {
                assertEquals(i, seeded.get(crafted.get(i).high(), crafted.get(i).low()));
            }
        }
    }

    @Test
    void unseededPreimageHitsTheWantedHashExactly() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 10_000; i++) {
            long wanted = random.nextLong();
            long low = ConnTable.keyLow(random.nextInt(256), random.nextInt(65536), random.nextInt(65536));
            assertEquals(wanted, TupleHash.hash(TupleHash.unseededPreimageHigh(wanted, low), low, 0, 0));
        }
    }

    /**
     * Tuples as real nodes see them are far from random: one client's sequential source ports,
     * addresses counting up a subnet. At load 1/2 the seeded hash must spread them like random
     * keys: a mean distance from the home slot near linear probing's 0.5 and short longest runs.
     */
    @Test
    void structuredTuplesSpreadLikeRandomOnes() {
        int n = 200_000;
        long[][] sets = new long[3][];
        long[] oneClientPorts = new long[2 * n];
        long[] countingAddresses = new long[2 * n];
        long[] randomKeys = new long[2 * n];
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < n; i++) {
            oneClientPorts[2 * i] = ConnTable.keyHigh(0x0a000001, 0x0a600001);
            oneClientPorts[2 * i + 1] = ConnTable.keyLow(6, 1024 + i % 64_000, 80 + i / 64_000);
            countingAddresses[2 * i] = ConnTable.keyHigh(0x0af40000 + (i >>> 10), 0x0a000000 + (i & 1023));
            countingAddresses[2 * i + 1] = ConnTable.keyLow(6, 8080, 1024 + i % 60_000);
            randomKeys[2 * i] = random.nextLong();
            randomKeys[2 * i + 1] = ConnTable.keyLow(6, random.nextInt(65536), random.nextInt(65536));
        }
        sets[0] = oneClientPorts;
        sets[1] = countingAddresses;
        sets[2] = randomKeys;
        for (long seed = 1; seed <= 3; seed++) {
            for (long[] keys : sets) {
                ConnTable table = new ConnTable(n / 2, seed); // n keys in 2^19 slots: load 0.38
                long distance = 0;
                for (int i = 0; i < n; i++) {
                    assertTrue(table.putIfAbsent(keys[2 * i], keys[2 * i + 1], i));
                }
                for (int i = 0; i < n; i++) {
                    int home = table.homeSlot(keys[2 * i], keys[2 * i + 1]);
                    distance += (table.slotOf(keys[2 * i], keys[2 * i + 1]) - home) & (table.capacity() - 1);
                }
                double mean = distance / (double) n;
                assertTrue(mean < 0.6, "seed " + seed + ": mean distance " + mean);
                assertTrue(table.maxDisplacement() < 40, "seed " + seed + ": longest " + table.maxDisplacement());
            }
        }
    }
}
