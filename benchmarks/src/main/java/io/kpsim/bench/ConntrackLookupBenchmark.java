package io.kpsim.bench;

import io.kpsim.conntrack.ConnTable;
import io.kpsim.conntrack.Tuple;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One conntrack lookup ({@code ____nf_conntrack_find}) per operation, hit or miss, in a table of
 * {@code connections} connections (two keys each), uniformly random over all keys so that at
 * 1,048,576 connections and above nearly every lookup misses every cache, as on a busy node.
 *
 * <p>Implementations, each in its own {@link State} so a fork builds only the one it measures:
 * kpsim's {@link ConnTable} one key at a time and in batches of {@value #BATCH} (reported per key),
 * {@code HashMap<Tuple, Integer>} looked up with different-but-equal {@link Tuple} objects (what
 * most Java code would write), the kernel-shaped {@link ChainedConnTable}, and
 * {@link FastutilConnTable}. Misses use keys drawn the same way but absent.
 *
 * <p>Keys are generated once per trial from a fixed seed and visited in a fixed random order
 * through a mask, at most 2^22 of them, which at 4,194,304 connections is a random half of the
 * 8,388,608 keys.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class ConntrackLookupBenchmark {

    /** Keys per batched call: one NAPI poll's worth of packets ({@code NAPI_POLL_WEIGHT}). */
    static final int BATCH = 64;

    private static final int MAX_LOOKUP_KEYS = 1 << 22;
    private static final long SEED = 0x6b707369L;

    /** The connections and the lookup sequences, shared by every implementation. */
    @State(Scope.Benchmark)
    public static class Workload {
        @Param({"1024", "65536", "1048576", "4194304"})
        public int connections;

        ConnectionKeys stored;
        ConnectionKeys hits;
        ConnectionKeys misses;
        long[][] hitHighRows;
        long[][] hitLowRows;
        long[][] missHighRows;
        long[][] missLowRows;
        int mask;
        int rowMask;

        @Setup(Level.Trial)
        public void generate() {
            stored = ConnectionKeys.connections(connections, SEED);
            int lookups = Math.min(stored.size(), MAX_LOOKUP_KEYS);
            hits = stored.lookupOrder(lookups, SEED + 1);
            misses = ConnectionKeys.absent(stored, lookups, SEED + 2);
            mask = lookups - 1;
            hitHighRows = ConnectionKeys.rows(hits.high, BATCH);
            hitLowRows = ConnectionKeys.rows(hits.low, BATCH);
            missHighRows = ConnectionKeys.rows(misses.high, BATCH);
            missLowRows = ConnectionKeys.rows(misses.low, BATCH);
            rowMask = hitHighRows.length - 1;
        }
    }

    /** kpsim's packed open-addressing table. */
    @State(Scope.Thread)
    public static class ConnTableState {
        ConnTable table;
        final int[] values = new int[BATCH];
        int cursor;

        @Setup(Level.Trial)
        public void build(Workload w) {
            table = new ConnTable(w.connections, SEED);
            for (int i = 0; i < w.stored.size(); i++) {
                table.putIfAbsent(w.stored.high[i], w.stored.low[i], i);
            }
        }
    }

    /** {@code HashMap<Tuple, Integer>} with its own lookup keys: equal tuples, different objects. */
    @State(Scope.Thread)
    public static class HashMapState {
        HashMap<Tuple, Integer> map;
        Tuple[] hitTuples;
        Tuple[] missTuples;
        int cursor;

        @Setup(Level.Trial)
        public void build(Workload w) {
            map = new HashMap<>(w.stored.size() * 2);
            for (int i = 0; i < w.stored.size(); i++) {
                map.put(w.stored.tuple(i), i);
            }
            hitTuples = new Tuple[w.hits.size()];
            missTuples = new Tuple[w.misses.size()];
            for (int i = 0; i < hitTuples.length; i++) {
                hitTuples[i] = w.hits.tuple(i);
                missTuples[i] = w.misses.tuple(i);
            }
        }
    }

    /** The kernel's shape: bucket array of chained tuple-hash nodes. */
    @State(Scope.Thread)
    public static class ChainedState {
        ChainedConnTable table;
        int cursor;

        @Setup(Level.Trial)
        public void build(Workload w) {
            table = new ChainedConnTable(w.connections, SEED);
            for (int i = 0; i < w.stored.size(); i++) {
                table.putIfAbsent(w.stored.high[i], w.stored.low[i], i);
            }
        }
    }

    /** fastutil's {@code Long2IntOpenHashMap} over the 64-bit tuple hash, verified against the full key. */
    @State(Scope.Thread)
    public static class FastutilState {
        FastutilConnTable table;
        int cursor;

        @Setup(Level.Trial)
        public void build(Workload w) {
            table = new FastutilConnTable(w.connections, SEED);
            for (int i = 0; i < w.stored.size(); i++) {
                table.putIfAbsent(w.stored.high[i], w.stored.low[i], i);
            }
        }
    }

    @Benchmark
    public int connTableHit(Workload w, ConnTableState s) {
        int i = s.cursor++ & w.mask;
        return s.table.get(w.hits.high[i], w.hits.low[i]);
    }

    @Benchmark
    public int connTableMiss(Workload w, ConnTableState s) {
        int i = s.cursor++ & w.mask;
        return s.table.get(w.misses.high[i], w.misses.low[i]);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int connTableBatchHit(Workload w, ConnTableState s) {
        int r = s.cursor++ & w.rowMask;
        s.table.getBatch(w.hitHighRows[r], w.hitLowRows[r], BATCH, s.values);
        return s.values[BATCH - 1];
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int connTableBatchMiss(Workload w, ConnTableState s) {
        int r = s.cursor++ & w.rowMask;
        s.table.getBatch(w.missHighRows[r], w.missLowRows[r], BATCH, s.values);
        return s.values[BATCH - 1];
    }

    @Benchmark
    public Integer hashMapHit(Workload w, HashMapState s) {
        return s.map.get(s.hitTuples[s.cursor++ & w.mask]);
    }

    @Benchmark
    public Integer hashMapMiss(Workload w, HashMapState s) {
        return s.map.get(s.missTuples[s.cursor++ & w.mask]);
    }

    @Benchmark
    public int chainedHit(Workload w, ChainedState s) {
        int i = s.cursor++ & w.mask;
        return s.table.get(w.hits.high[i], w.hits.low[i]);
    }

    @Benchmark
    public int chainedMiss(Workload w, ChainedState s) {
        int i = s.cursor++ & w.mask;
        return s.table.get(w.misses.high[i], w.misses.low[i]);
    }

    @Benchmark
    public int fastutilHit(Workload w, FastutilState s) {
        int i = s.cursor++ & w.mask;
        return s.table.get(w.hits.high[i], w.hits.low[i]);
    }

    @Benchmark
    public int fastutilMiss(Workload w, FastutilState s) {
        int i = s.cursor++ & w.mask;
        return s.table.get(w.misses.high[i], w.misses.low[i]);
    }
}
