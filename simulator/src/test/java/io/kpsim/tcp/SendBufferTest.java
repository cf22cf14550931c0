package io.kpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.engine.Durations;
import org.junit.jupiter.api.Test;

/**
 * A fixed send buffer ({@code SO_SNDBUF}) bounds the data in flight: sent data stays queued until
 * it is acknowledged, and half of {@code sk_sndbuf} holds payload.
 */
class SendBufferTest {

    private static final long MIB = 1 << 20;

    /** The most unacknowledged data the client had over a 1 MiB transfer, sampled every 100 us. */
    private static long maxInFlight(TcpConfig client) {
        TestNet net = new TestNet(client, TcpConfig.linux());
        net.server.listen(80, s -> new TestNet.Recorder());
        TcpSocket socket = net.client.connect(TestNet.SERVER_IP, 80, new SocketHandler() {
            @Override
            public void onEstablished(TcpSocket s) {
                s.write(MIB);
            }
        });
        long max = 0;
        for (long t = 0; t < Durations.seconds(5); t += Durations.micros(100)) {
            net.sim.runUntil(t);
            TcpInfo info = socket.info();
            max = Math.max(max, Integer.toUnsignedLong(info.sndNxt() - info.sndUna()));
        }
        assertEquals(MIB, socket.bytesAcked(), "the transfer completes either way");
        return max;
    }

    @Test
    void aFixedSendBufferKeepsHalfOfItInFlightAtMost() {
        long autotuned = maxInFlight(TcpConfig.linux());
        long fixed = maxInFlight(TcpConfig.linux().withSendBuffer(16 * 1024));
        assertTrue(autotuned > 32 * 1024, "autotuned: cwnd and the peer's window decide: " + autotuned);
        assertTrue(fixed <= 8 * 1024 && fixed >= 4 * 1460, "16 KiB of sk_sndbuf, 8 KiB of payload: " + fixed);
    }
}
