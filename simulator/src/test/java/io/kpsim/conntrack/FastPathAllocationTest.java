package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The established-packet path (lookup, window check, state update) allocates nothing. */
class FastPathAllocationTest {

    @Test
    void establishedSegmentsAllocateNothing() {
        Flow f = new Flow(KernelVersion.V6_18).handshake(1000, 5000, true);
        Conntrack ct = f.ct;
        int opts = Conntrack.tcpOptionBits(TcpOptions.NONE);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int seq = f.sSeq;
        for (int warm = 0; warm < 20_000; warm++) {
            seq = exchange(ct, f, seq, opts);
        }
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 10_000; i++) {
            seq = exchange(ct, f, seq, opts);
        }
        long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes for 20000 packets");
    }

    private static int exchange(Conntrack ct, Flow f, int seq, int opts) {
        int r = ct.inTcp(
                f.serverIp,
                f.clientIp,
                f.serverPort,
                f.clientPort,
                seq,
                f.cSeq,
                f.cSeq,
                TcpFlags.PSH | TcpFlags.ACK,
                509,
                1000,
                opts,
                true,
                f.now);
        assertEquals(PackedResult.ESTABLISHED, PackedResult.kind(r));
        int next = seq + 1000;
        int a = ct.inTcp(
                f.clientIp,
                f.serverIp,
                f.clientPort,
                f.serverPort,
                f.cSeq,
                next,
                next,
                TcpFlags.ACK,
                502,
                0,
                opts,
                true,
                f.now);
        assertEquals(PackedResult.ESTABLISHED, PackedResult.kind(a));
        return next;
    }
}
