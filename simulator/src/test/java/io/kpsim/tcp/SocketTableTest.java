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

/**
 * The established-socket hash behaves as a map from each socket's key to the socket under random
 * puts and conditional removes, although it keeps no keys of its own.
 */
class SocketTableTest {

    @Test
    void agreesWithAHashMapUnderChurnIncludingCollidingRunsNewerSocketsOnATupleAndWrapAround() {
        // two hosts' sockets on the same tuples: a put of one replaces the other, as a newer socket
        // on a tuple does; 300 keys in tables of up to 1,024 slots make long probe runs
        List<TcpSocket> pool = new ArrayList<>();
        for (int net = 0; net < 2; net++) {
            TestNet n = new TestNet();
            for (int i = 0; i < 150; i++) {
                int port = i < 140 ? 20_000 + i : 65_535 - (i - 140);
                pool.add(n.client.connect(port, TestNet.SERVER_IP, 80 + (i % 3) * 32_000, new TestNet.Recorder()));
            }
        }
        SocketTable table = new SocketTable();
        Map<Long, TcpSocket> reference = new HashMap<>();
        SplittableRandom random = new SplittableRandom(11);
        for (int step = 0; step < 200_000; step++) {
            TcpSocket socket = pool.get(random.nextInt(pool.size()));
            long key = socket.key();
            switch (random.nextInt(3)) {
                case 0 -> {
                    table.put(socket);
                    reference.put(key, socket);
                }
                case 1 -> {
                    table.remove(socket);
                    reference.remove(key, socket);
                }
                default -> {
                    TcpSocket current = reference.get(key);
                    if (current != null) {
                        table.remove(current);
                        reference.remove(key, current);
                    }
                }
            }
            assertSame(reference.get(key), table.get(key), "step " + step);
        }
        for (TcpSocket socket : pool) {
            assertSame(reference.get(socket.key()), table.get(socket.key()));
        }
        assertSame(null, table.get(TcpStack.key(TestNet.SERVER_IP, 81, 20_000)));
        Comparator<TcpSocket> byPort = Comparator.comparingInt(TcpSocket::localPort)
                .thenComparingInt(TcpSocket::remotePort)
                .thenComparingInt(System::identityHashCode);
        List<TcpSocket> expected = new ArrayList<>(reference.values());
        List<TcpSocket> actual = table.values();
        expected.sort(byPort);
        actual.sort(byPort);
        assertEquals(expected, actual);
    }
}
