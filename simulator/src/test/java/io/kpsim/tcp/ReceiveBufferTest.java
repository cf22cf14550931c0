package io.kpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReceiveBufferTest {

    @Test
    void reassemblesOutOfOrderDataAndReportsSackNewestFirst() {
        ReceiveBuffer b = new ReceiveBuffer();
        assertEquals(ReceiveBuffer.Arrival.IN_ORDER, b.accept(1, 101, false));
        assertEquals(ReceiveBuffer.Arrival.OUT_OF_ORDER, b.accept(201, 301, false));
        assertEquals(ReceiveBuffer.Arrival.OUT_OF_ORDER, b.accept(401, 501, false));
        assertEquals(101, b.next());
        assertEquals(200, b.outOfOrderBytes());
        int[] out = new int[8];
        assertEquals(2, b.sackBlocks(out, 4));
        assertEquals(401, out[0], "the most recent block first (RFC 2018 §4)");
        assertEquals(201, out[2]);
        assertEquals(ReceiveBuffer.Arrival.DUPLICATE, b.accept(201, 251, false), "already held out of order");
        assertEquals(ReceiveBuffer.Arrival.IN_ORDER, b.accept(101, 201, false));
        assertTrue(b.filledHole());
        assertEquals(301, b.next());
        assertEquals(100, b.outOfOrderBytes());
        assertEquals(300, b.queued());
        assertEquals(120, b.read(120));
        assertEquals(180, b.queued());
    }

    @Test
    void duplicatesProduceOneDsackBlockFirst() {
        ReceiveBuffer b = new ReceiveBuffer();
        b.accept(1, 1001, false);
        b.accept(2001, 3001, false);
        assertEquals(ReceiveBuffer.Arrival.DUPLICATE, b.accept(1, 501, false));
        int[] out = new int[8];
        assertEquals(2, b.sackBlocks(out, 4));
        assertEquals(1, out[0]);
        assertEquals(501, out[1]);
        assertEquals(2001, out[2]);
        assertEquals(1, b.sackBlocks(out, 4), "the D-SACK is reported once");
    }

    @Test
    void finIsConsumedOnlyInOrder() {
        ReceiveBuffer b = new ReceiveBuffer();
        b.accept(101, 201, true); // data and FIN ahead of a hole
        assertFalse(b.finConsumed());
        b.accept(1, 101, false);
        assertTrue(b.finConsumed());
        assertEquals(202, b.next(), "RCV.NXT counts the FIN");
        assertEquals(200, b.queued());
        assertEquals(ReceiveBuffer.Arrival.DUPLICATE, b.accept(201, 201, true), "a retransmitted FIN");
        assertEquals(202, b.next());
    }
}
