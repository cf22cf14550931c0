package io.kpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.engine.Durations;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    @Test
    void linuxSynCarriesMssSackAndWindowScale() {
        TestNet net = new TestNet();
        TestNet.Recorder server = new TestNet.Recorder();
        net.server.listen(80, s -> server);
        TestNet.Recorder client = new TestNet.Recorder();
        TcpSocket socket = net.client.connect(TestNet.SERVER_IP, 80, client);
        assertEquals(TcpState.SYN_SENT, socket.state());
        assertTrue(socket.localPort() >= 32768 && socket.localPort() <= 60999);
        net.sim.runUntil(Durations.millis(100));

        TcpSegment syn = net.wire.get(0).tcp();
        assertEquals(TcpFlags.SYN, syn.flags());
        assertEquals(TcpOptions.syn(1460, 7, true), syn.options());
        assertEquals(64240, syn.window());
        TcpSegment synAck = net.wire.get(1).tcp();
        assertEquals(TcpFlags.SYN | TcpFlags.ACK, synAck.flags());
        assertEquals(syn.seq() + 1, synAck.ack());
        assertEquals(TcpOptions.syn(1460, 7, true), synAck.options());
        TcpSegment ack = net.wire.get(2).tcp();
        assertEquals(TcpFlags.ACK, ack.flags());
        assertEquals(synAck.seq() + 1, ack.ack());
        assertEquals(syn.seq() + 1, ack.seq());
        assertEquals(65536 >> 7, ack.window(), "scaled window after the handshake");

        assertEquals(TcpState.ESTABLISHED, socket.state());
        assertNotNull(server.socket);
        assertEquals(TcpState.ESTABLISHED, server.socket.state());
        assertTrue(socket.info().windowScaling());
        assertTrue(socket.info().sack());
        assertEquals(1460, socket.info().sendMss());
        assertEquals(java.util.List.of("established"), client.log);
        assertEquals(Durations.millis(10), socket.info().srttNanos(), "SYN RTT sampled");
        assertEquals(Durations.millis(210), socket.info().rtoNanos(), "Linux RTO = SRTT + max(4*RTTVAR, 200 ms)");
        assertEquals(1, net.client.counters().get(TcpCounter.CONNECTIONS_ESTABLISHED));
        assertEquals(1, net.server.counters().get(TcpCounter.CONNECTIONS_ESTABLISHED));
    }

    @Test
    void windowScaleOnlyWhenBothSidesOfferIt() {
        TestNet net =
                new TestNet(TcpConfig.linux().withWindowScale(-1).withMss(1400).withSack(false), TcpConfig.linux());
        TestNet.Recorder server = new TestNet.Recorder();
        net.server.listen(80, s -> server);
        TcpSocket socket = net.client.connect(TestNet.SERVER_IP, 80, new TestNet.Recorder());
        net.sim.runUntil(Durations.millis(100));

        TcpSegment syn = net.wire.get(0).tcp();
        assertFalse(syn.options().hasWindowScale());
        assertFalse(syn.options().sackPermitted());
        TcpSegment synAck = net.wire.get(1).tcp();
        assertFalse(synAck.options().hasWindowScale(), "no wscale in the SYN-ACK when the SYN had none");
        assertFalse(synAck.options().sackPermitted());
        assertEquals(1460, synAck.options().mss());
        assertFalse(socket.info().windowScaling());
        assertFalse(server.socket.info().windowScaling());
        assertFalse(server.socket.info().sack());
        assertEquals(1400, socket.info().sendMss());
        assertEquals(1400, server.socket.info().sendMss(), "MSS is the smaller of the two");
        // Without scaling the server advertises raw byte counts, capped at 65535.
        net.server.sockets().get(0).write(1000);
        net.sim.runUntil(Durations.millis(200));
        TcpSegment data = net.sentBy(false, true).get(0).tcp();
        assertEquals(65535, data.window());
        assertEquals(1000, socket.bytesDelivered());
    }

    @Test
    void synToClosedPortIsRefused() {
        TestNet net = new TestNet();
        TestNet.Recorder client = new TestNet.Recorder();
        TcpSocket socket = net.client.connect(TestNet.SERVER_IP, 81, client);
        net.sim.runUntil(Durations.millis(100));
        TcpSegment syn = net.wire.get(0).tcp();
        TcpSegment rst = net.wire.get(1).tcp();
        assertEquals(TcpFlags.RST | TcpFlags.ACK, rst.flags());
        assertEquals(0, rst.seq());
        assertEquals(syn.seq() + 1, rst.ack());
        assertEquals(TcpState.CLOSED, socket.state());
        assertEquals(CloseReason.RESET, client.closed);
        assertEquals(
                java.util.List.of("server in NO_SOCKET_RST_SENT", "client in RST_ACCEPTED_SYN_SENT"),
                net.events("in "));
        assertTrue(net.client.sockets().isEmpty());
    }

    @Test
    void synRetriesExhaustedTimesOut() {
        TestNet net = new TestNet();
        net.tap = (p, i) -> TestNet.DROP;
        TestNet.Recorder client = new TestNet.Recorder();
        net.client.connect(TestNet.SERVER_IP, 80, client);
        net.sim.run();
        // 1 + 2 + 4 + 8 + 16 + 32 s between the 7 SYNs, then 64 s until giving up.
        assertEquals(7, net.wire.size());
        long[] expectedGaps = {1, 2, 4, 8, 16, 32};
        for (int i = 0; i < expectedGaps.length; i++) {
            assertEquals(
                    Durations.seconds(expectedGaps[i]),
                    net.wire.get(i + 1).timeNanos() - net.wire.get(i).timeNanos());
        }
        assertEquals(Durations.seconds(127), net.sim.now());
        assertEquals(CloseReason.TIMEOUT, client.closed);
        assertEquals(7, net.client.counters().get(TcpCounter.TIMEOUTS));
        assertEquals(6, net.client.counters().get(TcpCounter.RETRANSMITTED_SEGMENTS));
    }

    @Test
    void simultaneousOpenEstablishesBothSides() {
        TestNet net = new TestNet();
        TestNet.Recorder a = new TestNet.Recorder();
        TestNet.Recorder b = new TestNet.Recorder();
        TcpSocket left = net.client.connect(5000, TestNet.SERVER_IP, 6000, a);
        TcpSocket right = net.server.connect(6000, TestNet.CLIENT_IP, 5000, b);
        net.sim.runUntil(Durations.millis(100));
        assertEquals(TcpState.ESTABLISHED, left.state());
        assertEquals(TcpState.ESTABLISHED, right.state());
        assertEquals(java.util.List.of("established"), a.log);
        assertEquals(2, net.count("client", "in SIMULTANEOUS_OPEN") + net.count("server", "in SIMULTANEOUS_OPEN"));
        assertEquals(0, net.client.counters().get(TcpCounter.RETRANSMITTED_SEGMENTS));
        left.write(2000);
        net.sim.runUntil(Durations.millis(200));
        assertEquals(2000, b.bytes);
    }
}
