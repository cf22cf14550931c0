package io.kpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReceiveBufferTest {

    @Test
    void reassemblesOutOfOrderDataAndReportsSackNewestFirst() {
        TcpReceiver b = new TcpReceiver(null, TcpConfig.linux());
        assertEquals(ReceiveBuffer.Arrival.IN_ORDER, ReceiveBuffer.accept(b, 1, 101, false));
        assertEquals(ReceiveBuffer.Arrival.OUT_OF_ORDER, ReceiveBuffer.accept(b, 201, 301, false));
        assertEquals(ReceiveBuffer.Arrival.OUT_OF_ORDER, ReceiveBuffer.accept(b, 401, 501, false));
        assertEquals(101, b.rcvNxt());
        assertEquals(200, ReceiveBuffer.outOfOrderBytes(b));
        int[] out = new int[8];
        assertEquals(2, ReceiveBuffer.sackBlocks(b, out, 4));
        assertEquals(401, out[0], "the most recent block first (RFC 2018 §4)");
        assertEquals(201, out[2]);
        assertEquals(
                ReceiveBuffer.Arrival.DUPLICATE, ReceiveBuffer.accept(b, 201, 251, false), "already held out of order");
        assertEquals(ReceiveBuffer.Arrival.IN_ORDER, ReceiveBuffer.accept(b, 101, 201, false));
        assertTrue(b.filledHole);
        assertEquals(301, b.rcvNxt());
        assertEquals(100, ReceiveBuffer.outOfOrderBytes(b));
        assertEquals(300, b.queued());
        assertEquals(120, ReceiveBuffer.read(b, 120));
        assertEquals(180, b.queued());
    }

    @Test
    void duplicatesProduceOneDsackBlockFirst() {
        TcpReceiver b = new TcpReceiver(null, TcpConfig.linux());
        ReceiveBuffer.accept(b, 1, 1001, false);
        ReceiveBuffer.accept(b, 2001, 3001, false);
        assertEquals(ReceiveBuffer.Arrival.DUPLICATE, ReceiveBuffer.accept(b, 1, 501, false));
        int[] out = new int[8];
        assertEquals(2, ReceiveBuffer.sackBlocks(b, out, 4));
        assertEquals(1, out[0]);
        assertEquals(501, out[1]);
        assertEquals(2001, out[2]);
        assertEquals(1, ReceiveBuffer.sackBlocks(b, out, 4), "the D-SACK is reported once");
    }

    @Test
    void finIsConsumedOnlyInOrder() {
        TcpReceiver b = new TcpReceiver(null, TcpConfig.linux());
        ReceiveBuffer.accept(b, 101, 201, true); // data and FIN ahead of a hole
        assertFalse(b.finConsumed());
        ReceiveBuffer.accept(b, 1, 101, false);
        assertTrue(b.finConsumed());
        assertEquals(202, b.rcvNxt(), "RCV.NXT counts the FIN");
        assertEquals(200, b.queued());
        assertEquals(ReceiveBuffer.Arrival.DUPLICATE, ReceiveBuffer.accept(b, 201, 201, true), "a retransmitted FIN");
        assertEquals(202, b.rcvNxt());
    }
}
