package io.kpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.engine.Durations;
import io.kpsim.packet.TcpFlags;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowControlTest {

    private static final long KIB = 1024;

    private TcpSocket serverSocket;

    /** Client writes {@code amount} to a server whose application reads at {@code readRate}. */
    private TestNet setUp(long readRate, long amount) {
        TestNet net = new TestNet(TcpConfig.linux(), TcpConfig.linux().withFixedReceiveBuffer(131072));
        net.server.listen(80, s -> {
            s.setReadRate(readRate);
            serverSocket = s;
            return new TestNet.Recorder();
        });
        net.client.connect(TestNet.SERVER_IP, 80, new SocketHandler() {
            @Override
            public void onEstablished(TcpSocket socket) {
                socket.write(amount);
            }
        });
        return net;
    }

    private static List<Integer> serverWindows(TestNet net) {
        List<Integer> windows = new ArrayList<>();
        for (TestNet.Sent s : net.sentBy(false, false)) {
            if (!s.tcp().has(TcpFlags.SYN)) {
                windows.add(s.tcp().window() << 7);
            }
        }
        return windows;
    }

    @Test
    void slowReaderShrinksTheWindowAndUpdatesReopenIt() {
        TestNet net = setUp(100 * KIB, 1024 * KIB);
        net.sim.runUntil(Durations.seconds(30));
        assertEquals(1024 * KIB, serverSocket.bytesDelivered());
        List<Integer> windows = serverWindows(net);
        assertTrue(windows.get(0) >= 60000, "an empty buffer offers about 64 KiB: " + windows.get(0));
        // Once the buffer is full the window offered is below two segments, reopened by reads.
        List<Integer> middle = windows.subList(windows.size() / 4, windows.size() * 3 / 4);
        long small = middle.stream().filter(w -> w < 2 * 1460).count();
        assertEquals(middle.size(), small, "windows offered while the reader lags are all below two MSS");
        assertTrue(middle.stream().anyMatch(w -> w < 1460), "and some below one MSS");
        assertTrue(net.server.counters().get(TcpCounter.WINDOW_UPDATES_SENT) > 0);
        // 64 KiB fit in the buffer at once, the rest at 100 KiB/s: about 9.6 s in all.
        long end = net.sentBy(false, false)
                .get(net.sentBy(false, false).size() - 1)
                .timeNanos();
        assertTrue(end > Durations.millis(9000) && end < Durations.millis(10500), Durations.format(end));
        assertEquals(0, net.client.counters().get(TcpCounter.RETRANSMITTED_SEGMENTS));
    }

    @Test
    void zeroWindowIsProbedWithBackoffUntilTheReaderResumes() {
        TestNet net = setUp(0, 200 * KIB);
        net.sim.runUntil(Durations.seconds(5));
        assertEquals(0, serverSocket.bytesDelivered());
        long held = serverSocket.bytesToRead();
        assertTrue(held > 64 * KIB - 1460 && held <= 64 * KIB, "the buffer holds 64 KiB of payload: " + held);
        List<TestNet.Sent> fromServer = net.sentBy(false, false);
        assertEquals(0, fromServer.get(fromServer.size() - 1).tcp().window(), "zero window advertised");
        List<Long> probes = new ArrayList<>();
        int dataProbes = 0;
        for (TestNet.Event e : net.events) {
            if (e.what().equals("out ZERO_WINDOW_PROBE")) {
                if (e.packet().tcp().payloadLength() > 0) {
                    // Linux tcp_write_wakeup: a sliver of window the sender's SWS avoidance held back.
                    dataProbes++;
                    continue;
                }
                probes.add(e.timeNanos());
                assertEquals(
                        net.client.sockets().get(0).sndUna() - 1,
                        e.packet().tcp().seq(),
                        "Linux probes with SND.UNA - 1");
            }
        }
        assertTrue(dataProbes <= 1, "at most the first probe carries data");
        assertTrue(probes.size() >= 3, "probes " + probes);
        assertEquals(2 * (probes.get(1) - probes.get(0)), probes.get(2) - probes.get(1), "probe interval doubles");
        assertEquals(probes.size() + dataProbes, net.client.counters().get(TcpCounter.ZERO_WINDOW_PROBES_SENT));
        assertEquals(probes.size(), net.count("server", "in UNACCEPTABLE_SEQ"), "each probe is answered");

        serverSocket.setReadRate(TcpSocket.READ_INSTANTLY);
        net.sim.runUntil(Durations.seconds(10));
        assertEquals(200 * KIB, serverSocket.bytesDelivered());
    }

    @Test
    void lostWindowUpdateIsRecoveredByThePersistTimer() {
        TestNet net = setUp(0, 100 * KIB);
        net.sim.runUntil(Durations.seconds(1));
        net.tap = (p, i) -> p.srcIp() == TestNet.SERVER_IP ? TestNet.DROP : 0;
        serverSocket.setReadRate(TcpSocket.READ_INSTANTLY);
        net.sim.runUntil(net.sim.now() + Durations.millis(1));
        assertEquals(1, net.server.counters().get(TcpCounter.WINDOW_UPDATES_SENT));
        net.tap = (p, i) -> 0;
        net.sim.runUntil(Durations.seconds(10));
        assertEquals(100 * KIB, serverSocket.bytesDelivered());
        long probesAfterUpdate = net.events.stream()
                .filter(e -> e.what().equals("out ZERO_WINDOW_PROBE") && e.timeNanos() > Durations.seconds(1))
                .count();
        assertTrue(probesAfterUpdate >= 1, "a probe found the reopened window");
    }

    @Test
    void closingWithUnreadDataResetsTheConnection() {
        TestNet net = setUp(0, 10 * KIB);
        net.sim.runUntil(Durations.seconds(1));
        serverSocket.close();
        assertEquals(TcpState.CLOSED, serverSocket.state());
        TestNet.Sent rst = net.wire.get(net.wire.size() - 1);
        assertEquals(TcpFlags.RST | TcpFlags.ACK, rst.tcp().flags());
        assertEquals(List.of("server out RST_UNREAD_DATA"), net.events("out RST"));
        net.sim.runUntil(Durations.seconds(2));
        assertEquals(TcpState.CLOSED, net.client.sockets().isEmpty() ? TcpState.CLOSED : TcpState.ESTABLISHED);
        assertEquals(1, net.client.counters().get(TcpCounter.RESETS_ACCEPTED));
    }
}
