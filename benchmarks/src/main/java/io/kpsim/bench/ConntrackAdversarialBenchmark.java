package io.kpsim.bench;

import io.kpsim.conntrack.ConnTable;
import io.kpsim.conntrack.TupleHash;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the per-table hash seed buys: {@code craftedKeys} tuples built so that the <em>unseeded</em>
 * {@link TupleHash} gives all of them one value (choose the ports, then solve for the addresses
 * through the finaliser's inverse, as someone who knows an unkeyed hash can). In
 * {@link ConnTable#unseeded} they form one probe run and a hit walks half of it on average; in a
 * seeded {@link ConnTable} the same tuples scatter. This is the attack that made the kernel key its
 * conntrack hash ({@code hash_conntrack_raw()}: {@code jhash2} with a boot-time random seed, now
 * {@code siphash}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ConntrackAdversarialBenchmark {

    private static final long TARGET_HASH = 0x5eed5eed5eed5eedL;

    @State(Scope.Thread)
    public static class Crafted {
        /** At most 64,512: one client port each. */
        @Param({"1024", "8192"})
        public int craftedKeys;

        ConnTable seeded;
        ConnTable unseeded;
        long[] high;
        long[] low;
        int mask;
        int cursor;

        @Setup(Level.Trial)
        public void build() {
            long[] storedHigh = new long[craftedKeys];
            long[] storedLow = new long[craftedKeys];
            seeded = new ConnTable(craftedKeys / 2, 0x6b707369L);
            unseeded = ConnTable.unseeded(craftedKeys / 2);
            for (int i = 0; i < craftedKeys; i++) {
                storedLow[i] = ConnTable.keyLow(6, 1024 + i, 443);
                // The keyHigh that, with this keyLow, gives TARGET_HASH unseeded.
                storedHigh[i] = TupleHash.unseededPreimageHigh(TARGET_HASH, storedLow[i]);
                seeded.putIfAbsent(storedHigh[i], storedLow[i], i);
                unseeded.putIfAbsent(storedHigh[i], storedLow[i], i);
            }
            ConnectionKeys order = new ConnectionKeys(storedHigh, storedLow).lookupOrder(craftedKeys, 7);
            high = order.high;
            low = order.low;
            mask = craftedKeys - 1;
        }
    }

    @Benchmark
    public int seededHit(Crafted c) {
        int i = c.cursor++ & c.mask;
        return c.seeded.get(c.high[i], c.low[i]);
    }

    @Benchmark
    public int unseededHit(Crafted c) {
        int i = c.cursor++ & c.mask;
        return c.unseeded.get(c.high[i], c.low[i]);
    }
}
