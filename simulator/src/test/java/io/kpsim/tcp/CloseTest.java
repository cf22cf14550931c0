package io.kpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.engine.Durations;
import io.kpsim.packet.TcpFlags;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Orderly close (RFC 9293 §3.6): both orders, simultaneous close, TIME_WAIT expiry. */
class CloseTest {

    /** A server application that closes as soon as the peer has closed. */
    private static final class ClosingServer extends TestNet.Recorder {
        @Override
        public void onPeerClosed(TcpSocket s) {
            super.onPeerClosed(s);
            s.close();
        }
    }

    private static List<String> states(TestNet net, String host) {
        return net.events("state").stream()
                .filter(e -> e.startsWith(host + " "))
                .toList();
    }

    @Test
    void clientClosesFirstAndSitsInTimeWaitForSixtySeconds() {
        TestNet net = new TestNet();
        ClosingServer serverApp = new ClosingServer();
        net.server.listen(80, s -> serverApp);
        TestNet.Recorder clientApp = new TestNet.Recorder();
        TcpSocket client = net.client.connect(TestNet.SERVER_IP, 80, clientApp);
        net.sim.runUntil(Durations.millis(50));
        client.write(5000);
        client.close();
        assertEquals(TcpState.FIN_WAIT_1, client.state());
        net.sim.runUntil(Durations.millis(200));

        assertEquals(5000, serverApp.bytes, "data before the FIN is delivered");
        assertEquals(
                List.of(
                        "client state CLOSED->SYN_SENT",
                        "client state SYN_SENT->ESTABLISHED",
                        "client state ESTABLISHED->FIN_WAIT_1",
                        "client state FIN_WAIT_1->FIN_WAIT_2",
                        "client state FIN_WAIT_2->TIME_WAIT"),
                states(net, "client"));
        assertEquals(
                List.of(
                        "server state CLOSED->SYN_RECEIVED",
                        "server state SYN_RECEIVED->ESTABLISHED",
                        "server state ESTABLISHED->CLOSE_WAIT",
                        "server state CLOSE_WAIT->LAST_ACK",
                        "server state LAST_ACK->CLOSED"),
                states(net, "server"));
        assertEquals(CloseReason.FIN, clientApp.closed);
        assertEquals(CloseReason.FIN, serverApp.closed);
        assertTrue(serverApp.log.contains("peer-closed"));
        assertEquals(TcpState.TIME_WAIT, client.state());
        assertEquals(1, net.client.sockets().size());

        long enteredTimeWait = net.events.stream()
                .filter(e -> e.what().equals("state FIN_WAIT_2->TIME_WAIT"))
                .findFirst()
                .orElseThrow()
                .timeNanos();
        net.sim.runUntil(enteredTimeWait + Durations.seconds(60) - 1);
        assertEquals(TcpState.TIME_WAIT, client.state());
        net.sim.runUntil(enteredTimeWait + Durations.seconds(60));
        assertEquals(TcpState.CLOSED, client.state());
        assertTrue(net.client.sockets().isEmpty());
        assertEquals(
                List.of("closed FIN"),
                clientApp.log.subList(clientApp.log.size() - 1, clientApp.log.size()),
                "TIME_WAIT expiry does not report again");
    }

    @Test
    void serverClosesFirst() {
        TestNet net = new TestNet();
        TestNet.Recorder serverApp = new TestNet.Recorder() {
            @Override
            public void onEstablished(TcpSocket s) {
                super.onEstablished(s);
                s.write(3000);
                s.close();
            }
        };
        net.server.listen(80, s -> serverApp);
        TestNet.Recorder clientApp = new TestNet.Recorder() {
            @Override
            public void onPeerClosed(TcpSocket s) {
                super.onPeerClosed(s);
                s.close();
            }
        };
        TcpSocket client = net.client.connect(TestNet.SERVER_IP, 80, clientApp);
        net.sim.runUntil(Durations.seconds(1));
        assertEquals(3000, clientApp.bytes);
        assertEquals(TcpState.CLOSED, client.state());
        assertEquals(TcpState.TIME_WAIT, serverApp.socket.state());
        TestNet.Sent serverFin = net.sentBy(false, false).stream()
                .filter(s -> s.tcp().has(TcpFlags.FIN))
                .findFirst()
                .orElseThrow();
        assertEquals(serverApp.socket.iss() + 1 + 3000, serverFin.tcp().seq(), "the FIN follows the data");
        net.sim.runUntil(Durations.seconds(62));
        assertTrue(net.server.sockets().isEmpty());
        assertEquals(CloseReason.FIN, clientApp.closed);
    }

    @Test
    void simultaneousCloseGoesThroughClosing() {
        TestNet net = new TestNet();
        TestNet.Recorder serverApp = new TestNet.Recorder();
        net.server.listen(80, s -> serverApp);
        TcpSocket client = net.client.connect(TestNet.SERVER_IP, 80, new TestNet.Recorder());
        net.sim.runUntil(Durations.millis(50));
        client.close();
        serverApp.socket.close();
        net.sim.runUntil(Durations.millis(100));
        assertTrue(net.events("state").contains("client state FIN_WAIT_1->CLOSING"));
        assertTrue(net.events("state").contains("server state FIN_WAIT_1->CLOSING"));
        assertEquals(TcpState.TIME_WAIT, client.state());
        assertEquals(TcpState.TIME_WAIT, serverApp.socket.state());
        net.sim.runUntil(Durations.seconds(61));
        assertTrue(net.client.sockets().isEmpty());
        assertTrue(net.server.sockets().isEmpty());
    }

    @Test
    void lostFinIsRetransmittedAndTimeWaitReacknowledgesIt() {
        TestNet net = new TestNet();
        ClosingServer serverApp = new ClosingServer();
        net.server.listen(80, s -> serverApp);
        TcpSocket client = net.client.connect(TestNet.SERVER_IP, 80, new TestNet.Recorder());
        net.sim.runUntil(Durations.millis(50));
        // Drop the client's ACK of the server's FIN: the server retransmits its FIN into TIME_WAIT.
        boolean[] dropped = {false};
        net.tap = (p, i) -> {
            if (p.srcIp() == TestNet.CLIENT_IP
                    && p.tcp().flags() == TcpFlags.ACK
                    && !dropped[0]
                    && client.state() == TcpState.TIME_WAIT) {
                dropped[0] = true;
                return TestNet.DROP;
            }
            return 0;
        };
        client.close();
        net.sim.runUntil(Durations.seconds(2));
        assertTrue(dropped[0]);
        assertEquals(1, net.count("client", "in TIME_WAIT_ACK"));
        assertEquals(1, net.count("server", "out RETRANSMIT_TIMEOUT"));
        assertTrue(net.server.sockets().isEmpty(), "the server got the second ACK and closed");
        assertEquals(CloseReason.FIN, serverApp.closed);
    }

    @Test
    void newSynReusesATimeWaitFourTuple() {
        TestNet net = new TestNet(TcpConfig.linux(), TcpConfig.linux());
        TestNet.Recorder first = new TestNet.Recorder() {
            @Override
            public void onEstablished(TcpSocket s) {
                super.onEstablished(s);
                s.close();
            }
        };
        TestNet.Recorder second = new TestNet.Recorder();
        net.server.listen(80, s -> first.socket == null ? first : second);
        TestNet.Recorder clientApp = new TestNet.Recorder() {
            @Override
            public void onPeerClosed(TcpSocket s) {
                s.close();
            }
        };
        TcpSocket client = net.client.connect(TestNet.SERVER_IP, 80, clientApp);
        net.sim.runUntil(Durations.seconds(1));
        assertEquals(TcpState.TIME_WAIT, first.socket.state());
        // The client reuses the same port at once (its side is CLOSED); the server's TIME_WAIT makes way.
        TcpSocket again = net.client.connect(client.localPort(), TestNet.SERVER_IP, 80, new TestNet.Recorder());
        net.sim.runUntil(Durations.seconds(2));
        assertEquals(TcpState.ESTABLISHED, again.state());
        assertEquals(TcpState.ESTABLISHED, second.socket.state());
        assertEquals(1, net.count("server", "in TIME_WAIT_REUSED"));
        assertTrue(again.iss() - client.iss() > 0, "RFC 6528: the clock moved the ISN forward");
    }

    @Test
    void halfClosedClientStillReadsTheServersLastDataBeforeLearningOfTheClose() {
        TestNet net = new TestNet();
        TestNet.Recorder serverApp = new TestNet.Recorder() {
            @Override
            public void onPeerClosed(TcpSocket s) {
                s.write(3000);
                s.close();
            }
        };
        net.server.listen(80, s -> serverApp);
        TestNet.Recorder clientApp = new TestNet.Recorder();
        TcpSocket client = net.client.connect(TestNet.SERVER_IP, 80, clientApp);
        net.sim.runUntil(Durations.millis(50));
        client.setReadRate(10_000);
        client.close();
        net.sim.runUntil(Durations.millis(100));
        assertEquals(TcpState.TIME_WAIT, client.state());
        assertEquals(List.of("established"), clientApp.log, "data still unread: no close reported yet");
        net.sim.runUntil(Durations.seconds(2));
        assertEquals(3000, clientApp.bytes);
        assertEquals(List.of("established", "peer-closed", "closed FIN"), clientApp.log);
    }
}
