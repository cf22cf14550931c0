package io.kpsim.netfilter;

import static io.kpsim.netfilter.NodeFixture.C;
import static io.kpsim.netfilter.NodeFixture.CPORT;
import static io.kpsim.netfilter.NodeFixture.P;
import static io.kpsim.netfilter.NodeFixture.VIP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.CtResult;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The datapath's reused {@link Walk}: it tells the same story as the {@link PathResult} records,
 * records taken from it are not disturbed by the packets after them, and forwarding an
 * established packet that NAT does not rewrite allocates nothing.
 */
class WalkTest {

    /** The blog story's packets at the client's node, in order, with the interface each arrives on. */
    private static List<Object[]> story() {
        List<Object[]> s = new ArrayList<>();
        s.add(new Object[] {NodeFixture.tcp(C, CPORT, VIP, 80, TcpFlags.SYN, 1000, 0, 0), "cni0"});
        s.add(new Object[] {NodeFixture.tcp(P, 8080, C, CPORT, TcpFlags.SYN | TcpFlags.ACK, 5000, 1001, 0), "eth0"});
        s.add(new Object[] {NodeFixture.tcp(C, CPORT, VIP, 80, TcpFlags.ACK, 1001, 5001, 0), "cni0"});
        s.add(new Object[] {NodeFixture.tcp(P, 8080, C, CPORT, TcpFlags.ACK, 5001, 1001, 1000), "eth0"});
        // far below the window: INVALID on 4.19, ignored on 6.18
        s.add(new Object[] {NodeFixture.tcp(P, 8080, C, CPORT, TcpFlags.ACK, 5001 - 2_000_000, 1001, 1000), "eth0"});
        s.add(new Object[] {NodeFixture.tcp(C, CPORT, P, 8080, TcpFlags.RST, 1001, 0, 0), "cni0"});
        s.add(new Object[] {NodeFixture.tcp(C, CPORT, Ip4.parse("10.0.0.9"), 80, TcpFlags.SYN, 7, 0, 0), "cni0"});
        return s;
    }

    @ParameterizedTest
    @EnumSource(
            value = KernelProfile.class,
            names = {"V4_19", "V6_18"})
    void theReusedWalkTellsTheSameStoryAsTheRecords(KernelProfile kernel) {
        NodeFixture records = new NodeFixture(kernel, false, 3);
        NodeFixture walks = new NodeFixture(kernel, false, 3);
        List<PathResult> taken = new ArrayList<>();
        List<PathResult> expected = new ArrayList<>();
        long now = 1_000 * NodeFixture.SECOND;
        for (Object[] step : story()) {
            now += NodeFixture.SECOND / 1000;
            Packet p = (Packet) step[0];
            String in = (String) step[1];
            expected.add(records.node.receive(p, in, now));
            Walk w = walks.node.receiveWalk(p, in, true, now);
            // what a node's verdict event reads from the walk, before any record of it is made
            int natApplied = w.natApplied();
            String natSkipped = w.natSkipped();
            String ctReason = w.ctReason();
            int ctPacked = w.ctPacked();
            PathResult r = w.result();
            assertEquals(r.natApplied(), natApplied);
            assertEquals(r.natSkipped(), natSkipped);
            assertEquals(r.ct() == null ? null : r.ct().reason(), ctReason);
            assertEquals(r.ct() == null, ctPacked == Walk.CT_NOT_SEEN);
            assertEquals(r.ct(), ctPacked == Walk.CT_NOT_SEEN ? null : CtResult.fromPacked(ctPacked, ctReason));
            assertEquals(r.accepted(), w.accepted());
            assertEquals(r.out(), w.out());
            assertEquals(r.outInterface(), w.outInterface());
            assertEquals(r.ct() == null ? null : r.ct().state(), w.ctState());
            assertEquals(r.ct() != null && r.ct().ignored(), w.ctIgnored());
            assertEquals(r.decidedBy(), w.decidedBy());
            assertEquals(r.dropReason(), w.dropReason());
            // What a node hands its trace listeners: the steps in place, read-only.
            assertFalse(r.trace().isEmpty(), "a traced walk records its steps");
            assertEquals(r.trace(), w.steps());
            assertThrows(UnsupportedOperationException.class, () -> w.steps().clear());
            taken.add(r);
        }
        assertEquals(expected, taken, "records taken from the reused walk must equal fresh ones, even later");
        assertTrue(taken.get(0).dnat() && taken.get(1).reverseNat());
        assertEquals(
                kernel == KernelProfile.V4_19 ? CtState.INVALID : CtState.ESTABLISHED,
                taken.get(4).ct().state());
        assertEquals(kernel == KernelProfile.V6_18, taken.get(4).ct().ignored());
        if (kernel == KernelProfile.V4_19) {
            assertEquals(P, taken.get(4).out().srcIp(), "the INVALID reply escapes reverse NAT");
            assertEquals("INVALID: no conntrack, NAT skipped", taken.get(4).natSkipped());
        } else {
            assertEquals(VIP, taken.get(4).out().srcIp(), "the ignored reply is still reverse-NATed");
            assertNull(taken.get(4).natSkipped());
        }
    }

    @Test
    void forwardingAnEstablishedUnNatedPacketAllocatesNothing() {
        NodeFixture f = new NodeFixture(KernelProfile.V6_18, true, 5);
        f.node.tracing(false);
        int rounds = 30_000;
        Packet[] data = new Packet[rounds];
        Packet[] acks = new Packet[rounds];
        int cSeq = 1001;
        int sSeq = 5001;
        for (int i = 0; i < rounds; i++) {
            data[i] = NodeFixture.tcp(P, 8080, C, CPORT, TcpFlags.ACK, sSeq + i * 1000, cSeq, 1000);
            acks[i] = NodeFixture.tcp(C, CPORT, P, 8080, TcpFlags.ACK, cSeq, sSeq + (i + 1) * 1000, 0);
        }
        long now = 1_000 * NodeFixture.SECOND;
        f.node.receive(NodeFixture.tcp(C, CPORT, P, 8080, TcpFlags.SYN, 1000, 0, 0), "cni0", now);
        f.node.receive(NodeFixture.tcp(P, 8080, C, CPORT, TcpFlags.SYN | TcpFlags.ACK, 5000, 1001, 0), "eth0", now);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        long before = 0;
        for (int i = 0; i < rounds; i++) {
            if (i == rounds - 10_000) {
                before = mx.getThreadAllocatedBytes(self);
            }
            Walk d = f.node.receiveWalk(data[i], "eth0", true, now);
            Walk a = f.node.receiveWalk(acks[i], "cni0", true, now);
            if (!d.accepted() || !a.accepted() || a.ctState() != CtState.ESTABLISHED) {
                throw new AssertionError("packet " + i + " not forwarded: " + d.result() + " " + a.result());
            }
        }
        long allocated = mx.getThreadAllocatedBytes(self) - before;
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes for 20000 forwarded packets");
    }
}
