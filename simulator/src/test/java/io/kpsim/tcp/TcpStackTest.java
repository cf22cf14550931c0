package io.kpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.engine.Durations;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.TcpFlags;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TcpStackTest {

    @Test
    void stackCountersSumTheSocketsPlusUnownedSegments() {
        TestNet net = new TestNet();
        net.server.listen(80, s -> new TestNet.Recorder());
        TcpSocket a = net.client.connect(TestNet.SERVER_IP, 80, new TestNet.Recorder());
        TcpSocket b = net.client.connect(TestNet.SERVER_IP, 80, new TestNet.Recorder());
        net.client.connect(TestNet.SERVER_IP, 81, new TestNet.Recorder()); // refused
        net.sim.runUntil(Durations.millis(50));
        a.write(10_000);
        b.write(20_000);
        net.sim.runUntil(Durations.millis(200));
        assertEquals(10_000, a.counters().get(TcpCounter.BYTES_ACKED));
        assertEquals(20_000, b.counters().get(TcpCounter.BYTES_ACKED));
        assertEquals(30_000, net.client.counters().get(TcpCounter.BYTES_ACKED));
        assertEquals(30_000, net.server.counters().get(TcpCounter.BYTES_DELIVERED));
        long socketSent =
                a.counters().get(TcpCounter.SEGMENTS_SENT) + b.counters().get(TcpCounter.SEGMENTS_SENT);
        assertEquals(socketSent + 1, net.client.counters().get(TcpCounter.SEGMENTS_SENT), "plus the refused SYN");
        assertEquals(1, net.server.counters().get(TcpCounter.RESETS_SENT), "the refusal, owned by no socket");
        assertEquals(
                net.wire.size(),
                net.client.counters().get(TcpCounter.SEGMENTS_SENT)
                        + net.server.counters().get(TcpCounter.SEGMENTS_SENT));
        assertTrue(
                a.counters().toString().contains("bytes_acked=10000"),
                a.counters().toString());
    }

    @Test
    void ephemeralPortsAreDistinctAndInLinuxRange() {
        TestNet net = new TestNet();
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = net.client
                    .connect(TestNet.SERVER_IP, 80, new TestNet.Recorder())
                    .localPort();
            assertTrue(port >= TcpStack.EPHEMERAL_LOW && port <= TcpStack.EPHEMERAL_HIGH);
            ports.add(port);
        }
        assertEquals(200, ports.size());
        List<TcpSocket> sockets = net.client.sockets();
        for (int i = 1; i < sockets.size(); i++) {
            assertTrue(sockets.get(i - 1).localPort() < sockets.get(i).localPort(), "listed in port order");
        }
    }

    @Test
    void closedListenerRefusesNewConnections() {
        TestNet net = new TestNet();
        TcpListener listener = net.server.listen(80, s -> new TestNet.Recorder());
        assertThrows(IllegalArgumentException.class, () -> net.server.listen(80, s -> new TestNet.Recorder()));
        listener.close();
        TestNet.Recorder app = new TestNet.Recorder();
        net.client.connect(TestNet.SERVER_IP, 80, app);
        net.sim.runUntil(Durations.millis(50));
        assertEquals(CloseReason.RESET, app.closed);
    }

    @Test
    void packetForAnotherAddressIsNotTcpsBusiness() {
        TestNet net = new TestNet();
        net.inject(
                net.client,
                io.kpsim.packet.Packet.tcp(
                        TestNet.SERVER_IP,
                        Ip4.parse("10.0.0.77"),
                        new io.kpsim.packet.TcpSegment(
                                80, 4000, 1, 1, TcpFlags.ACK, 100, 0, io.kpsim.packet.TcpOptions.NONE, 0)));
        assertTrue(net.wire.isEmpty());
        assertEquals(List.of("client in WRONG_ADDRESS"), net.events(""));
    }

    @Test
    void delayedAcksAcknowledgeEverySecondSegmentOrAfterTheTimeout() {
        TestNet net = new TestNet(TcpConfig.linux(), TcpConfig.linux().withDelayedAck(Durations.millis(40)));
        net.server.listen(80, s -> new TestNet.Recorder());
        TcpSocket client = net.client.connect(TestNet.SERVER_IP, 80, new TestNet.Recorder());
        net.sim.runUntil(Durations.millis(50));
        int before = net.sentBy(false, false).size();
        client.write(4 * 1460);
        net.sim.runUntil(Durations.millis(100));
        assertEquals(before + 2, net.sentBy(false, false).size(), "four segments, two ACKs");
        client.write(100);
        net.sim.runUntil(Durations.millis(200));
        List<TestNet.Sent> acks = net.sentBy(false, false);
        TestNet.Sent lone = acks.get(acks.size() - 1);
        assertEquals(
                Durations.millis(100) + Durations.millis(5) + Durations.millis(40),
                lone.timeNanos(),
                "a lone segment is acknowledged after the delayed-ACK timeout");
        assertEquals(client.sndNxt(), lone.tcp().ack());
    }
}
