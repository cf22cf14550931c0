package io.kpsim.bench;

import io.kpsim.conntrack.ConnTable;
import io.kpsim.conntrack.Tuple;
import io.kpsim.packet.Protocol;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Packed keys of synthetic kube-proxy connections, as a node's conntrack sees them: ORIGINAL
 * {@code client:port -> VIP:port} and REPLY {@code pod:port -> client:port} (after DNAT), so key
 * {@code 2c} is connection {@code c}'s original tuple and key {@code 2c + 1} its reply tuple. One
 * TCP connection in eight is UDP. All keys are distinct; everything comes from the seed.
 */
final class ConnectionKeys {

    private static final int[] SERVICE_PORTS = {80, 443, 53, 8080, 6379, 5432, 9090, 3306};

    final long[] high;
    final long[] low;

    ConnectionKeys(long[] high, long[] low) {
        this.high = high;
        this.low = low;
    }

    int size() {
        return high.length;
    }

    /** {@code connections} connections, both directions. */
    static ConnectionKeys connections(int connections, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] high = new long[2 * connections];
        long[] low = new long[2 * connections];
        ConnTable seen = new ConnTable(connections, seed);
        int c = 0;
        while (c < connections) {
            int protocol = random.nextInt(8) == 0 ? 17 : 6;
            int client = 0x0a000000 | random.nextInt(1 << 24); // 10.0.0.0/8
            int clientPort = 1024 + random.nextInt(65536 - 1024);
            int vip = 0x0a600000 | random.nextInt(1 << 20); // 10.96.0.0/12
            int servicePort = SERVICE_PORTS[random.nextInt(SERVICE_PORTS.length)];
            int pod = 0x0af40000 | random.nextInt(1 << 16); // 10.244.0.0/16
            int podPort = servicePort == 80 ? 8080 : servicePort;
            long origHigh = ConnTable.keyHigh(client, vip);
            long origLow = ConnTable.keyLow(protocol, clientPort, servicePort);
            long replyHigh = ConnTable.keyHigh(pod, client);
            long replyLow = ConnTable.keyLow(protocol, podPort, clientPort);
            if (seen.get(origHigh, origLow) != ConnTable.NOT_FOUND
                    || seen.get(replyHigh, replyLow) != ConnTable.NOT_FOUND) {
                continue;
            }
            seen.putIfAbsent(origHigh, origLow, 2 * c);
            seen.putIfAbsent(replyHigh, replyLow, 2 * c + 1);
            high[2 * c] = origHigh;
            low[2 * c] = origLow;
            high[2 * c + 1] = replyHigh;
            low[2 * c + 1] = replyLow;
            c++;
        }
        return new ConnectionKeys(high, low);
    }

    /** {@code count} keys drawn like {@link #connections} but absent from {@code present}. */
    static ConnectionKeys absent(ConnectionKeys present, int count, long seed) {
        ConnTable members = new ConnTable(present.size() / 2, seed);
        for (int i = 0; i < present.size(); i++) {
            members.putIfAbsent(present.high[i], present.low[i], i);
        }
        ConnectionKeys candidates = connections(count, seed ^ 0x6d697373L);
        long[] high = new long[count];
        long[] low = new long[count];
        int n = 0;
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; n < count; i++) {
            long h;
            long l;
            if (i < candidates.size()) {
                h = candidates.high[i];
                l = candidates.low[i];
            } else {
                h = ConnTable.keyHigh(random.nextInt(), random.nextInt());
                l = ConnTable.keyLow(6, random.nextInt(65536), random.nextInt(65536));
            }
            if (members.putIfAbsent(h, l, 0)) { // absent from present and not drawn before
                high[n] = h;
                low[n] = l;
                n++;
            }
        }
        return new ConnectionKeys(high, low);
    }

    /** A random sample (a shuffle when {@code count == size()}) of these keys, in lookup order. */
    ConnectionKeys lookupOrder(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] h = new long[count];
        long[] l = new long[count];
        if (count == size()) {
            int[] order = new int[count];
            for (int i = 0; i < count; i++) {
                order[i] = i;
            }
            for (int i = count - 1; i > 0; i--) { // Fisher-Yates
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int i = 0; i < count; i++) {
                h[i] = high[order[i]];
                l[i] = low[order[i]];
            }
        } else {
            for (int i = 0; i < count; i++) {
                int k = random.nextInt(size());
                h[i] = high[k];
                l[i] = low[k];
            }
        }
        return new ConnectionKeys(h, l);
    }

    /** Key {@code i} as a fresh {@link Tuple}: equal to, never the same object as, any other. */
    Tuple tuple(int i) {
        long h = high[i];
        long l = low[i];
        return new Tuple(
                Protocol.of((int) (l >>> 32)), (int) (h >>> 32), (int) (l >>> 16) & 0xffff, (int) h, (int) l & 0xffff);
    }

    /** {@code words} cut into rows of {@code batch}, so a batched lookup takes one row as is. */
    static long[][] rows(long[] words, int batch) {
        long[][] rows = new long[words.length / batch][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = Arrays.copyOfRange(words, r * batch, (r + 1) * batch);
        }
        return rows;
    }
}
