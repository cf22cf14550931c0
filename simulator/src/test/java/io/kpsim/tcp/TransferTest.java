package io.kpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.engine.Durations;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransferTest {

    private static final long MIB = 1L << 20;

    /** Connects, writes {@code bytes} from client to server, runs until quiet. */
    private static TestNet.Recorder transfer(TestNet net, long amount, TestNet.Recorder server) {
        net.server.listen(80, s -> server);
        TestNet.Recorder client = new TestNet.Recorder() {
            @Override
            public void onEstablished(TcpSocket s) {
                super.onEstablished(s);
                s.write(amount);
            }
        };
        net.client.connect(TestNet.SERVER_IP, 80, client);
        net.sim.runUntil(Durations.seconds(600));
        return client;
    }

    /**
     * A passive open's socket counts the SYN that made it among its segments received, once, while
     * its stack counts every segment once: the three-way handshake is two segments at the server
     * socket, and a connection's counters are a snapshot that counting on it afterwards leaves alone.
     */
    @Test
    void theServerSocketCountsTheSynThatOpenedIt() {
        TestNet net = new TestNet();
        TestNet.Recorder server = new TestNet.Recorder();
        net.server.listen(80, s -> server);
        net.client.connect(TestNet.SERVER_IP, 80, new TestNet.Recorder());
        net.sim.runUntil(Durations.millis(50));
        TcpCounters snapshot = server.socket.counters();
        assertEquals(2, snapshot.get(TcpCounter.SEGMENTS_RECEIVED), "SYN and ACK");
        assertEquals(2, net.server.counters().get(TcpCounter.SEGMENTS_RECEIVED));
        server.socket.write(1000);
        net.sim.runUntil(Durations.seconds(1));
        assertEquals(2, snapshot.get(TcpCounter.SEGMENTS_RECEIVED), "a snapshot does not move");
        assertEquals(3, server.socket.counters().get(TcpCounter.SEGMENTS_RECEIVED), "and the data's ACK");
    }

    @Test
    void bulkTransferDeliversExactByteCount() {
        TestNet net = new TestNet();
        TestNet.Recorder server = new TestNet.Recorder();
        TestNet.Recorder client = transfer(net, 16 * MIB + 123, server);
        assertEquals(16 * MIB + 123, server.bytes);
        assertEquals(16 * MIB + 123, server.socket.bytesDelivered());
        assertEquals(16 * MIB + 123, client.socket.bytesAcked());
        assertTrue(client.log.contains("all-acked"));
        TcpCounters c = net.client.counters();
        assertEquals(0, c.get(TcpCounter.RETRANSMITTED_SEGMENTS));
        assertEquals(0, c.get(TcpCounter.TIMEOUTS));
        assertEquals(16 * MIB + 123, c.get(TcpCounter.BYTES_SENT));
        assertEquals(16 * MIB + 123, c.get(TcpCounter.BYTES_ACKED));
        assertEquals(16 * MIB + 123, net.server.counters().get(TcpCounter.BYTES_DELIVERED));
        long dataSegments = net.sentBy(true, true).size();
        assertEquals((16 * MIB + 123 + 1459) / 1460, dataSegments, "every segment full-sized but the last");
        // Autotuning grew the receive buffer beyond its initial 64 KiB of payload.
        assertTrue(
                server.socket.info().receiveCapacity() > 65536,
                "capacity " + server.socket.info().receiveCapacity());
        assertTrue(net.sentBy(false, false).stream().anyMatch(s -> s.tcp().window() > 512));
    }

    @Test
    void sameSeedSameTranscript() {
        TestNet a = new TestNet();
        transfer(a, MIB, new TestNet.Recorder());
        TestNet b = new TestNet();
        transfer(b, MIB, new TestNet.Recorder());
        assertEquals(a.transcript(), b.transcript());
    }

    @Test
    void threeDuplicateAcksTriggerFastRetransmit() {
        TestNet net = new TestNet();
        int[] dataSeen = {0};
        net.tap = (p, i) ->
                p.srcIp() == TestNet.CLIENT_IP && p.tcp().payloadLength() > 0 && ++dataSeen[0] == 5 ? TestNet.DROP : 0;
        TestNet.Recorder server = new TestNet.Recorder();
        TestNet.Recorder client = transfer(net, MIB, server);
        assertEquals(MIB, server.bytes);
        TcpCounters c = net.client.counters();
        assertEquals(1, c.get(TcpCounter.FAST_RETRANSMITS));
        assertEquals(0, c.get(TcpCounter.TIMEOUTS));
        assertEquals(1, c.get(TcpCounter.RETRANSMITTED_SEGMENTS));
        assertTrue(net.server.counters().get(TcpCounter.OUT_OF_ORDER_SEGMENTS) >= 3);
        // The dropped segment went out again after exactly three duplicate ACKs, carrying SACK blocks.
        TcpSegment lost = net.sentBy(true, true).get(4).tcp();
        List<String> sequence = new ArrayList<>();
        for (TestNet.Event e : net.events) {
            if (e.host().equals("client")
                    && (e.what().equals("in ACK_DUPLICATE") || e.what().equals("out RETRANSMIT_FAST"))) {
                sequence.add(e.what());
                if (e.what().equals("out RETRANSMIT_FAST")) {
                    assertEquals(lost.seq(), e.packet().tcp().seq());
                    break;
                }
            }
        }
        assertEquals(
                List.of("in ACK_DUPLICATE", "in ACK_DUPLICATE", "in ACK_DUPLICATE", "out RETRANSMIT_FAST"), sequence);
        assertTrue(
                net.sentBy(false, false).stream()
                        .anyMatch(s -> !s.tcp().options().sackBlocks().isEmpty()),
                "receiver SACKed the out-of-order data");
        assertEquals(MIB, client.socket.bytesAcked());
        assertTrue(client.socket.info().ssthresh() < Long.MAX_VALUE, "loss halved the window");
    }

    @Test
    void sackRepairsSeveralLossesInOneWindowWithoutTimeout() {
        TestNet net = new TestNet();
        int[] dataSeen = {0};
        net.tap = (p, i) -> {
            if (p.srcIp() == TestNet.CLIENT_IP && p.tcp().payloadLength() > 0) {
                int n = ++dataSeen[0];
                return n == 30 || n == 33 || n == 36 ? TestNet.DROP : 0;
            }
            return 0;
        };
        TestNet.Recorder server = new TestNet.Recorder();
        transfer(net, 2 * MIB, server);
        assertEquals(2 * MIB, server.bytes);
        TcpCounters c = net.client.counters();
        assertEquals(0, c.get(TcpCounter.TIMEOUTS));
        assertEquals(1, c.get(TcpCounter.FAST_RETRANSMITS));
        assertEquals(3, c.get(TcpCounter.RETRANSMITTED_SEGMENTS), "each hole resent once");
    }

    @Test
    void lostTailIsRecoveredByRtoWithExponentialBackoff() {
        TestNet net = new TestNet();
        long bytes = 20 * 1460;
        int[] lastSeen = {0};
        TestNet.Recorder server = new TestNet.Recorder();
        net.server.listen(80, s -> server);
        TestNet.Recorder client = new TestNet.Recorder();
        TcpSocket socket = net.client.connect(TestNet.SERVER_IP, 80, client);
        net.sim.runUntil(Durations.millis(50));
        int lastSeq = socket.sndNxt() + (int) bytes - 1460;
        // Drop the last data segment (too late for three duplicate ACKs) and its first retransmission.
        net.tap = (p, i) -> p.srcIp() == TestNet.CLIENT_IP
                        && p.tcp().payloadLength() > 0
                        && p.tcp().seq() == lastSeq
                        && lastSeen[0]++ < 2
                ? TestNet.DROP
                : 0;
        socket.write(bytes);
        net.sim.runUntil(Durations.seconds(10));
        assertEquals(bytes, server.bytes);
        List<Long> sendTimes = new ArrayList<>();
        for (TestNet.Sent s : net.wire) {
            if (s.fromClient() && s.tcp().seq() == lastSeq && s.tcp().payloadLength() > 0) {
                sendTimes.add(s.timeNanos());
            }
        }
        assertEquals(3, sendTimes.size());
        long rto = Durations.millis(210);
        // RFC 6298 §5.3: the timer restarts on the last ACK of new data, one RTT (10 ms) after the send.
        assertEquals(
                Durations.millis(10) + rto,
                sendTimes.get(1) - sendTimes.get(0),
                "first RTO: SRTT + 200 ms after the last new ACK");
        assertEquals(2 * rto, sendTimes.get(2) - sendTimes.get(1), "backed off to twice the RTO");
        TcpCounters c = net.client.counters();
        assertEquals(2, c.get(TcpCounter.TIMEOUTS));
        assertEquals(2, c.get(TcpCounter.RETRANSMITTED_SEGMENTS));
        assertEquals(0, c.get(TcpCounter.FAST_RETRANSMITS));
        assertEquals(1460, socket.info().cwnd() - 1460, "cwnd restarted from one segment, grew by one");
        assertEquals(2, net.count("client", "out RETRANSMIT_TIMEOUT"));
    }

    @Test
    void heldBackSegmentCausesSpuriousRetransmissionReportedByDsack() {
        TestNet net = new TestNet();
        TestNet.Recorder server = new TestNet.Recorder();
        net.server.listen(80, s -> server);
        TcpSocket socket = net.client.connect(TestNet.SERVER_IP, 80, new TestNet.Recorder());
        net.sim.runUntil(Durations.millis(50));
        int first = socket.sndNxt();
        boolean[] held = {false};
        net.tap = (p, i) -> {
            if (p.srcIp() == TestNet.CLIENT_IP && p.tcp().payloadLength() > 0 && !held[0]) {
                held[0] = true;
                return Durations.millis(400); // longer than the 210 ms RTO
            }
            return 0;
        };
        socket.write(1000);
        net.sim.runUntil(Durations.seconds(5));
        assertEquals(1000, server.bytes, "delivered once");
        List<TestNet.Sent> data = net.sentBy(true, true);
        assertEquals(2, data.size());
        assertEquals(first, data.get(1).tcp().seq());
        assertEquals(
                Durations.millis(210), data.get(1).timeNanos() - data.get(0).timeNanos());
        assertEquals(1, net.client.counters().get(TcpCounter.TIMEOUTS));
        assertEquals(1, net.server.counters().get(TcpCounter.DUPLICATE_SEGMENTS_RECEIVED));
        assertEquals(1, net.client.counters().get(TcpCounter.DSACKS_RECEIVED));
        Packet dsackAck = net.sentBy(false, false)
                .get(net.sentBy(false, false).size() - 1)
                .packet();
        assertEquals(first, dsackAck.tcp().options().sackBlocks().get(0).left());
        assertEquals(first + 1000, dsackAck.tcp().options().sackBlocks().get(0).right());
    }
}
