package io.kpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TcpConfigTest {

    @Test
    void linuxDefaults() {
        TcpConfig c = TcpConfig.linux();
        assertEquals(1460, c.mss());
        assertEquals(7, c.windowScale());
        assertEquals(10, c.initialCwndSegments());
        assertEquals(131072, c.rcvBufBytes());
        assertEquals(6291456, c.rcvBufMaxBytes());
        assertEquals(200_000_000L, c.minRtoNanos());
        assertEquals(60_000_000_000L, c.timeWaitNanos());
        assertEquals(65536, TcpConfig.payloadCapacity(c.rcvBufBytes()));
    }

    @Test
    void badValuesNameTheField() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> TcpConfig.linux().withWindowScale(15));
        assertTrue(e.getMessage().contains("window scale 15"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TcpConfig.linux().withFixedReceiveBuffer(100));
        assertTrue(e.getMessage().contains("receive buffer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TcpConfig.linux().withMss(10));
        assertTrue(e.getMessage().contains("mss 10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TcpConfig.linux().withSendBuffer(2000));
        assertTrue(e.getMessage().contains("send buffer 2000 B"), e.getMessage());
        assertEquals(0, TcpConfig.linux().sndBufBytes(), "autotuned by default");
        assertEquals(Long.MAX_VALUE, TcpConfig.linux().sendBufferPayloadLimit());
        assertEquals(8192, TcpConfig.linux().withSendBuffer(16384).sendBufferPayloadLimit());
    }
}
