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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Connection churn at constant occupancy: each operation expires the oldest connection (both
 * tuplehash keys removed, as {@code nf_ct_delete} unlinks both) and confirms a new one (both keys
 * inserted, as {@code __nf_conntrack_confirm}). The table always holds exactly {@code connections}
 * connections, so the state is steady (JMH sample 38) and tombstone-style decay would show.
 *
 * <p>Connections come from a ring of at least twice {@code connections}, generated once per trial;
 * the live window {@code [cursor, cursor + connections)} slides one connection per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class ConntrackChurnBenchmark {

    private static final long SEED = 0x6368726eL;

    /** The ring of connections and the sliding window's position. */
    @State(Scope.Thread)
    public static class Ring {
        @Param({"1024", "65536", "1048576"})
        public int connections;

        ConnectionKeys keys;
        int ringMask;
        int cursor;

        @Setup(Level.Trial)
        public void generate() {
            int ringConnections = Integer.highestOneBit(2 * connections - 1) << 1;
            keys = ConnectionKeys.connections(ringConnections, SEED);
            ringMask = ringConnections - 1;
        }

        int leaving() {
            return cursor & ringMask;
        }

        int arriving() {
            return (cursor + connections) & ringMask;
        }
    }

    @State(Scope.Thread)
    public static class ConnTableState {
        ConnTable table;

        @Setup(Level.Trial)
        public void build(Ring r) {
            table = new ConnTable(r.connections, SEED);
            for (int k = 0; k < 2 * r.connections; k++) {
                table.putIfAbsent(r.keys.high[k], r.keys.low[k], k);
            }
        }
    }

    @State(Scope.Thread)
    public static class HashMapState {
        HashMap<Tuple, Integer> map;
        Tuple[] tuples;
        Integer[] values;

        @Setup(Level.Trial)
        public void build(Ring r) {
            tuples = new Tuple[r.keys.size()];
            values = new Integer[r.keys.size()];
            for (int k = 0; k < tuples.length; k++) {
                tuples[k] = r.keys.tuple(k);
                values[k] = k; // boxed once here: the benchmark measures the map, not boxing
            }
            map = new HashMap<>(4 * r.connections);
            for (int k = 0; k < 2 * r.connections; k++) {
                map.put(r.keys.tuple(k), values[k]);
            }
        }
    }

    @State(Scope.Thread)
    public static class ChainedState {
        ChainedConnTable table;

        @Setup(Level.Trial)
        public void build(Ring r) {
            table = new ChainedConnTable(r.connections, SEED);
            for (int k = 0; k < 2 * r.connections; k++) {
                table.putIfAbsent(r.keys.high[k], r.keys.low[k], k);
            }
        }
    }

    @State(Scope.Thread)
    public static class FastutilState {
        FastutilConnTable table;

        @Setup(Level.Trial)
        public void build(Ring r) {
            table = new FastutilConnTable(r.connections, SEED);
            for (int k = 0; k < 2 * r.connections; k++) {
                table.putIfAbsent(r.keys.high[k], r.keys.low[k], k);
            }
        }
    }

    @Benchmark
    public int connTable(Ring r, ConnTableState s) {
        int out = 2 * r.leaving();
        int in = 2 * r.arriving();
        r.cursor++;
        long[] high = r.keys.high;
        long[] low = r.keys.low;
        int removed = s.table.remove(high[out], low[out]) + s.table.remove(high[out + 1], low[out + 1]);
        s.table.putIfAbsent(high[in], low[in], in);
        s.table.putIfAbsent(high[in + 1], low[in + 1], in + 1);
        return removed;
    }

    @Benchmark
    public Integer hashMap(Ring r, HashMapState s) {
        int out = 2 * r.leaving();
        int in = 2 * r.arriving();
        r.cursor++;
        Integer removed = s.map.remove(s.tuples[out]);
        s.map.remove(s.tuples[out + 1]);
        s.map.put(s.tuples[in], s.values[in]);
        s.map.put(s.tuples[in + 1], s.values[in + 1]);
        return removed;
    }

    @Benchmark
    public int chained(Ring r, ChainedState s) {
        int out = 2 * r.leaving();
        int in = 2 * r.arriving();
        r.cursor++;
        long[] high = r.keys.high;
        long[] low = r.keys.low;
        int removed = s.table.remove(high[out], low[out]) + s.table.remove(high[out + 1], low[out + 1]);
        s.table.putIfAbsent(high[in], low[in], in);
        s.table.putIfAbsent(high[in + 1], low[in + 1], in + 1);
        return removed;
    }

    @Benchmark
    public int fastutil(Ring r, FastutilState s) {
        int out = 2 * r.leaving();
        int in = 2 * r.arriving();
        r.cursor++;
        long[] high = r.keys.high;
        long[] low = r.keys.low;
        int removed = s.table.remove(high[out], low[out]) + s.table.remove(high[out + 1], low[out + 1]);
        s.table.putIfAbsent(high[in], low[in], in);
        s.table.putIfAbsent(high[in + 1], low[in + 1], in + 1);
        return removed;
    }
}
