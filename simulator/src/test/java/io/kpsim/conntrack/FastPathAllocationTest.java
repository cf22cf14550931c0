package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The established-packet path (lookup, window check, state update) allocates nothing. */
class FastPathAllocationTest {

    private static final int NO_OPTIONS = TcpHeaderFields.optionBits(TcpOptions.NONE);

    @Test
    void establishedSegmentsAllocateNothing() {
        Flow f = new Flow(KernelProfile.V6_18).handshake(1000, 5000, true);
        Conntrack ct = f.ct;
        TcpHeaderFields fields = new TcpHeaderFields();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int seq = f.sSeq;
        for (int warm = 0; warm < 20_000; warm++) {
            seq = exchange(ct, fields, f, seq);
        }
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 10_000; i++) {
            seq = exchange(ct, fields, f, seq);
        }
        long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes for 20000 packets");
    }

    @Test
    void outOfWindowSegmentsAreRefusedWithoutAllocatingTheirWords() {
        Flow f = new Flow(KernelProfile.V6_18).handshake(1000, 5000, true);
        TcpHeaderFields fields = new TcpHeaderFields();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int warm = 0; warm < 20_000; warm++) {
            outOfWindow(f, fields);
        }
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 10_000; i++) {
            outOfWindow(f, fields);
        }
        long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes for 10000 INVALID packets");
        assertEquals(CtReason.SEQ_OVER_UPPER_BOUND, f.ct.lastReason().code());
        assertTrue(
                f.ct.lastReason().words().startsWith("SEQ is over upper bound "),
                f.ct.lastReason().words());
    }

    /** A server segment a gigabyte past the client's window: INVALID, "SEQ is over upper bound". */
    private static void outOfWindow(Flow f, TcpHeaderFields fields) {
        fields.srcIp(f.serverIp)
                .dstIp(f.clientIp)
                .srcPort(f.serverPort)
                .dstPort(f.clientPort)
                .seq(f.sSeq + 1_000_000_000)
                .ack(f.cSeq)
                .flags(TcpFlags.PSH | TcpFlags.ACK)
                .window(509)
                .payloadLength(1000)
                .options(NO_OPTIONS);
        assertEquals(PackedResult.INVALID, f.ct.inTcp(fields, true, f.now));
    }

    private static int exchange(Conntrack ct, TcpHeaderFields fields, Flow f, int seq) {
        fields.srcIp(f.serverIp)
                .dstIp(f.clientIp)
                .srcPort(f.serverPort)
                .dstPort(f.clientPort)
                .seq(seq)
                .ack(f.cSeq)
                .flags(TcpFlags.PSH | TcpFlags.ACK)
                .window(509)
                .payloadLength(1000)
                .options(NO_OPTIONS);
        int r = ct.inTcp(fields, true, f.now);
        assertEquals(PackedResult.ESTABLISHED, PackedResult.kind(r));
        int next = seq + 1000;
        fields.srcIp(f.clientIp)
                .dstIp(f.serverIp)
                .srcPort(f.clientPort)
                .dstPort(f.serverPort)
                .seq(f.cSeq)
                .ack(next)
                .sackEdge(next)
                .flags(TcpFlags.ACK)
                .window(502)
                .payloadLength(0)
                .options(NO_OPTIONS);
        int a = ct.inTcp(fields, true, f.now);
        assertEquals(PackedResult.ESTABLISHED, PackedResult.kind(a));
        return next;
    }
}
