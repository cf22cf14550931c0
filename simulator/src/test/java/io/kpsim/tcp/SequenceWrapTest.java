package io.kpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.engine.Durations;
import io.kpsim.packet.SackBlock;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sequence numbers that wrap past 2^32 in the middle of a transfer, with losses, SACK and
 * out-of-order reassembly right at the wrap: the sockets keep RCV.NXT, the advertised edge and the
 * out-of-order ranges as 32-bit sequence numbers compared with {@code before()}/{@code after()}, so
 * a connection whose ISN lies just below 2^32 must behave exactly as one whose ISN lies half the
 * sequence space away. The ISN is {@code secure_tcp_seq}'s hash plus the clock over 64 ns, so
 * starting the connection later by {@code 64 * d} ns moves both ISNs by {@code d}.
 */
class SequenceWrapTest {

    private static final long MIB = 1L << 20;
    /** The ISN is this far below 2^32: the 62nd full segment straddles the wrap. */
    private static final int BELOW_WRAP = 90_000;

    private record Run(List<String> transcript, long delivered, long acked, TcpCounters senderCounters, int iss) {}

    /** The ISN the client ({@code clientSends}) or the server gets when the connection starts at 0. */
    private static int isnAtZero(boolean clientSends) {
        return run(clientSends, 0, 256 * 1024).iss();
    }

    /**
     * Connects at {@code startNanos}, sends {@code amount} bytes from the client ({@code clientSends}) or
     * the server, dropping the 60th, 62nd and 64th data segments, and records every segment relative
     * to the ISNs and the start.
     */
    private static Run run(boolean clientSends, long startNanos, long amount) {
        TestNet net = new TestNet();
        int[] dataSeen = {0};
        int senderIp = clientSends ? TestNet.CLIENT_IP : TestNet.SERVER_IP;
        net.tap = (p, i) -> {
            if (p.srcIp() == senderIp && p.tcp().payloadLength() > 0) {
                int n = ++dataSeen[0];
                return n == 60 || n == 62 || n == 64 ? TestNet.DROP : 0;
            }
            return 0;
        };
        TestNet.Recorder server = new TestNet.Recorder() {
            @Override
            public void onEstablished(TcpSocket s) {
                super.onEstablished(s);
                if (!clientSends) {
                    s.write(amount); // not Recorder.bytes, the count received
                }
            }
        };
        TestNet.Recorder client = new TestNet.Recorder() {
            @Override
            public void onEstablished(TcpSocket s) {
                super.onEstablished(s);
                if (clientSends) {
                    s.write(amount); // not Recorder.bytes, the count received
                }
            }
        };
        net.server.listen(80, s -> server);
        net.sim.runUntil(startNanos);
        net.client.connect(TestNet.SERVER_IP, 80, client);
        net.sim.runUntil(startNanos + Durations.seconds(600));
        TcpSocket sender = clientSends ? client.socket : server.socket;
        TcpSocket receiver = clientSends ? server.socket : client.socket;
        int clientIss = client.socket.iss();
        int serverIss = server.socket.iss();
        List<String> transcript = new ArrayList<>();
        for (TestNet.Sent sent : net.wire) {
            TcpSegment t = sent.tcp();
            boolean fromClient = sent.fromClient();
            int ownIss = fromClient ? clientIss : serverIss;
            int peerIss = fromClient ? serverIss : clientIss;
            StringBuilder line = new StringBuilder()
                    .append(sent.timeNanos() - startNanos)
                    .append(fromClient ? " c " : " s ")
                    .append(Integer.toUnsignedString(t.seq() - ownIss))
                    .append(' ')
                    .append(t.has(TcpFlags.ACK) ? Integer.toUnsignedString(t.ack() - peerIss) : "-")
                    .append(" f")
                    .append(t.flags())
                    .append(" w")
                    .append(t.window())
                    .append(" l")
                    .append(t.payloadLength())
                    .append(sent.dropped() ? " dropped" : "");
            for (SackBlock b : t.options().sackBlocks()) {
                line.append(" sack ")
                        .append(Integer.toUnsignedString(b.left() - peerIss))
                        .append('-')
                        .append(Integer.toUnsignedString(b.right() - peerIss));
            }
            transcript.add(line.toString());
        }
        return new Run(transcript, receiver.bytesDelivered(), sender.bytesAcked(), sender.counters(), sender.iss());
    }

    /** When to start so that the sender's ISN is {@code target}. */
    private static long startFor(int target, int isnAtZero) {
        return Integer.toUnsignedLong(target - isnAtZero) * 64;
    }

    @ParameterizedTest(name = "client sends: {0}")
    @ValueSource(booleans = {true, false})
    void aTransferAcrossTheWrapWithLossesMatchesOneFarFromIt(boolean clientSends) {
        int atZero = isnAtZero(clientSends);
        Run wrapping = run(clientSends, startFor(-BELOW_WRAP, atZero), 2 * MIB);
        Run far = run(clientSends, startFor(Integer.MIN_VALUE - BELOW_WRAP, atZero), 2 * MIB);
        assertEquals(-BELOW_WRAP, wrapping.iss(), "the ISN lies just below 2^32");
        assertEquals(Integer.MIN_VALUE - BELOW_WRAP, far.iss());
        assertEquals(2 * MIB, wrapping.delivered());
        assertEquals(2 * MIB, wrapping.acked());
        TcpCounters c = wrapping.senderCounters();
        assertEquals(0, c.get(TcpCounter.TIMEOUTS));
        assertEquals(1, c.get(TcpCounter.FAST_RETRANSMITS));
        assertEquals(3, c.get(TcpCounter.RETRANSMITTED_SEGMENTS), "each hole resent once, across the wrap");
        assertTrue(
                wrapping.transcript().stream().anyMatch(l -> l.contains(" sack ")),
                "the receiver reported out-of-order data with SACK");
        assertEquals(
                far.transcript(), wrapping.transcript(), "relative to the ISNs, the same segments at the same times");
    }
}
