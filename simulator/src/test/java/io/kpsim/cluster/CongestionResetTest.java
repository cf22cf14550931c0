package io.kpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.engine.Durations;
import io.kpsim.packet.TcpFlags;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Resets without any injection: tcarmet's ten looping 4 MiB downloads through a ClusterIP, over a
 * congested node-to-node link that now and then holds a segment back by 30 ms.
 *
 * <p>The mechanism observed (seed 1): a data segment from the server is held back; the client
 * SACKs around the hole, the server fast-retransmits it, the client's ACK moves on, and the
 * connection keeps going at about 12 MB/s, so by the time the held-back original arrives at node
 * A its end is more than the client's largest window below what the server has sent. Kernel 4.19
 * calls that "SEQ is under the lower bound (already ACKed data retransmitted)" and makes it
 * INVALID, so it is not reverse-NATed, the client pod answers the pod IP with a RST whose seq is
 * the segment's ACK (the server's RCV.NXT, since the client sent nothing more), and the server
 * accepts it: "Connection reset by peer". 6.1+ ignores the lower-bound failure (the segment is
 * NATed and the client sees a harmless duplicate); be_liberal never marks it; KUBE-FORWARD's
 * INVALID drop discards it.
 */
class CongestionResetTest {

    private static final long RUN = Durations.seconds(3);
    private static final double HOLD_BACK = 0.0002;
    private static final String LOWER_BOUND = "SEQ is under the lower bound (already ACKed data retransmitted)";

    @Test
    void kernel419ResetsConnectionsThroughHeldBackSegments() {
        Cluster cluster = BlogClusters.tcarmet(1, KernelProfile.V4_19, Map.of(), false, HOLD_BACK);
        Set<Long> heldBack = new HashSet<>();
        Set<Long> lowerBoundInvalid = new HashSet<>();
        cluster.addTraceListener(e -> {
            if (e.point() == TracePoint.LINK_HOLD_BACK && e.where().equals("node-b->node-a")) {
                heldBack.add(e.packetId());
            } else if (e.point() == TracePoint.NODE_ROUTE
                    && e.ctState() == CtState.INVALID
                    && LOWER_BOUND.equals(e.reason())) {
                lowerBoundInvalid.add(e.packetId());
            }
        });
        ClusterResults r = cluster.run(RUN);
        assertTrue(r.resets() > 0, r.summary());
        assertTrue(r.serverResets() > 0, r.summary());
        assertTrue(r.downloadsFailed() > 0, r.summary());
        assertTrue(!lowerBoundInvalid.isEmpty(), r.summary());
        assertTrue(
                heldBack.containsAll(lowerBoundInvalid),
                "every segment under the lower bound was one the link held back: " + lowerBoundInvalid);
    }

    @Test
    void withoutHoldBackCongestionAloneResetsNothing() {
        ClusterResults r =
                BlogClusters.tcarmet(1, KernelProfile.V4_19, Map.of(), false, 0).run(RUN);
        assertTrue(r.links().get("node-b->node-a").queueDrops() > 0, "the link is congested:\n" + r.summary());
        assertTrue(r.retransmissions() > 0, r.summary());
        assertEquals(0, r.invalidTotal(), r.summary());
        assertEquals(0, r.resets(), r.summary());
    }

    @Test
    void kernel618IgnoresTheLateSegments() {
        ClusterResults r = BlogClusters.tcarmet(1, KernelProfile.V6_18, Map.of(), false, HOLD_BACK)
                .run(RUN);
        assertEquals(0, r.resets(), r.summary());
        assertTrue(r.ignoredPerNode().get("node-a") > 0, r.summary());
    }

    @Test
    void beLiberalPreventsTheResets() {
        Cluster cluster = BlogClusters.tcarmet(
                1, KernelProfile.V4_19, Map.of("net.netfilter.nf_conntrack_tcp_be_liberal", "1"), false, HOLD_BACK);
        long[] invalidNonRst = {0};
        cluster.addTraceListener(e -> {
            if (e.point() == TracePoint.NODE_HOOK || e.ctState() != CtState.INVALID || e.packet() == null) {
                return;
            }
            if ((e.packet().tcp().flags() & TcpFlags.RST) == 0) {
                invalidNonRst[0]++;
            }
        });
        ClusterResults r = cluster.run(RUN);
        assertEquals(0, r.resets(), r.summary());
        // be_liberal "marks only out of window RST segments as INVALID": a client's late RST may
        // still be, but no data or ACK segment is.
        assertEquals(0, invalidNonRst[0], r.summary());
        assertTrue(r.links().get("node-b->node-a").heldBack() > 0, r.summary());
    }

    @Test
    void theInvalidDropRulePreventsTheResets() {
        ClusterResults r = BlogClusters.tcarmet(1, KernelProfile.V4_19, Map.of(), true, HOLD_BACK)
                .run(RUN);
        assertEquals(0, r.resets(), r.summary());
        assertTrue(r.invalidDropped() > 0, r.summary());
        assertEquals(r.invalidTotal(), r.invalidDropped(), r.summary());
    }
}
