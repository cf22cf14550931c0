package io.kpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The established-socket hash behaves as a map under random puts and conditional removes. */
class SocketTableTest {

    @Test
    void agreesWithAHashMapUnderChurnIncludingCollidingRunsAndWrapAround() {
        TestNet net = new TestNet();
        List<TcpSocket> pool = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            pool.add(net.client.connect(20_000 + i, TestNet.SERVER_IP, 80, new TestNet.Recorder()));
        }
        SocketTable table = new SocketTable();
        Map<Long, TcpSocket> reference = new HashMap<>();
        SplittableRandom random = new SplittableRandom(11);
        for (int step = 0; step < 200_000; step++) {
            // few distinct keys with extreme values: long probe runs, the all-ones key included
            long key = random.nextInt(4) == 0 ? -1L - random.nextInt(3) : random.nextLong(300) << 16;
            TcpSocket socket = pool.get(random.nextInt(pool.size()));
            switch (random.nextInt(3)) {
                case 0 -> {
                    table.put(key, socket);
                    reference.put(key, socket);
                }
                case 1 -> {
                    table.remove(key, socket);
                    reference.remove(key, socket);
                }
                default -> {
                    TcpSocket current = reference.get(key);
                    if (current != null) {
                        table.remove(key, current);
                        reference.remove(key, current);
                    }
                }
            }
            assertSame(reference.get(key), table.get(key), "step " + step);
        }
        for (long k = -3; k < 0; k++) {
            assertSame(reference.get(k), table.get(k));
        }
        for (long i = 0; i < 300; i++) {
            assertSame(reference.get(i << 16), table.get(i << 16));
        }
        Comparator<TcpSocket> byPort = Comparator.comparingInt(TcpSocket::localPort);
        List<TcpSocket> expected = new ArrayList<>(reference.values());
        List<TcpSocket> actual = table.values();
        expected.sort(byPort);
        actual.sort(byPort);
        assertEquals(expected, actual);
    }
}
