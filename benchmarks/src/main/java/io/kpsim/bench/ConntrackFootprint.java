package io.kpsim.bench;

import io.kpsim.conntrack.ConnTable;
import io.kpsim.conntrack.Tuple;
import java.util.HashMap;
import org.openjdk.jol.info.GraphLayout;

/**
 * Heap bytes per connection (both directions) of each table design, measured by walking the
 * object graph with JOL rather than estimated: {@code java -cp benchmarks.jar
 * io.kpsim.bench.ConntrackFootprint 1048576}. Not a JMH benchmark: it measures space, once.
 * {@link ConnTable#memoryBytes()} is printed beside its JOL figure as a cross-check.
 */
public final class ConntrackFootprint {

    private ConntrackFootprint() {}

    /**
     * Prints one line per implementation.
     *
     * @param args connections (default 1,048,576)
     */
    public static void main(String[] args) {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 1 << 20;
        ConnectionKeys keys = ConnectionKeys.connections(connections, 0x6b707369L);

        ConnTable connTable = new ConnTable(connections, 1);
        for (int i = 0; i < keys.size(); i++) {
            connTable.putIfAbsent(keys.high[i], keys.low[i], i);
        }
        report(
                "ConnTable",
                GraphLayout.parseInstance(connTable).totalSize(),
                connections,
                " (memoryBytes() says " + connTable.memoryBytes() + ")");
        connTable = null;

        ChainedConnTable chained = new ChainedConnTable(connections, 1);
        for (int i = 0; i < keys.size(); i++) {
            chained.putIfAbsent(keys.high[i], keys.low[i], i);
        }
        report("chained (hlist-style)", GraphLayout.parseInstance(chained).totalSize(), connections, "");
        chained = null;

        FastutilConnTable fastutil = new FastutilConnTable(connections, 1);
        for (int i = 0; i < keys.size(); i++) {
            fastutil.putIfAbsent(keys.high[i], keys.low[i], i);
        }
        report("fastutil Long2Int + rows", GraphLayout.parseInstance(fastutil).totalSize(), connections, "");
        fastutil = null;

        HashMap<Tuple, Integer> map = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            map.put(keys.tuple(i), i);
        }
        report(
                "HashMap<Tuple, Integer>",
                GraphLayout.parseInstance(map).totalSize(),
                connections,
                " (Protocol enum constants included)");
    }

    private static void report(String name, long bytes, int connections, String note) {
        System.out.printf("%-26s %,14d bytes  %8.1f B/connection%s%n", name, bytes, (double) bytes / connections, note);
    }
}
