package io.kpsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.cluster.BoomServerSpec;
import io.kpsim.cluster.Cluster;
import io.kpsim.cluster.ClusterBuilder;
import io.kpsim.cluster.ConnectLoopSpec;
import io.kpsim.cluster.LinkImpairments;
import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.engine.Durations;
import io.kpsim.packet.Ip4;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ring of recent hops tells the same stories as whole paths would: a ring far too small for
 * the packets in flight (every path copied out of it) and a table of two slots (nearly every packet
 * a straggler) give the same report, hop for hop, as the run's usual sizes, on links that lose,
 * duplicate and hold back packets.
 */
class PacketPathsTest {

    private static Cluster boom(boolean impaired) {
        LinkImpairments link = LinkImpairments.delay(300_000);
        if (impaired) {
            link = link.withLoss(0.02).withDuplicate(0.03).withHoldBack(0.05, 2_000_000);
        }
        KernelProfile kernel = KernelProfile.V4_19;
        return new ClusterBuilder(7)
                .node("node-a", "10.0.0.1", "10.244.0.0/24", kernel, Map.of(), false)
                .node("node-b", "10.0.0.2", "10.244.1.0/24", kernel, Map.of(), false)
                .linkPair("node-a", "node-b", link)
                .pod("client", "node-a", "10.244.0.2")
                .pod("server", "node-b", "10.244.1.2")
                .service("default", "boom-server", "10.96.0.10", 9000, 9000, "server")
                .workload(BoomServerSpec.of("server"))
                .workload(new ConnectLoopSpec("client", Ip4.parse("10.96.0.10"), 9000, Durations.millis(200), 0, 6))
                .build();
    }

    private static String[] both(boolean impaired, int ring, int slots) {
        Cluster c = boom(impaired);
        RunObserver usual = new RunObserver(false, true);
        RunObserver small = new RunObserver(false, true, ring, slots);
        c.addTraceListener(usual);
        c.addTraceListener(small);
        RunMetrics m = RunMetrics.of(c.run(Durations.seconds(3)));
        RunContext ctx = new RunContext("boom", "", "test", 7, KernelProfile.V4_19, false, false, Durations.seconds(3));
        return new String[] {
            TextReport.render(usual.report(ctx, m, List.of()), ""),
            TextReport.render(small.report(ctx, m, List.of()), "")
        };
    }

    @Test
    void aTinyRingAndTwoSlotsTellTheSameStories() {
        String[] r = both(false, 8, 2);
        assertTrue(r[0].contains("INVALID"), r[0]);
        assertEquals(r[0], r[1]);
    }

    @Test
    void theSameOnLinksThatLoseDuplicateAndHoldBack() {
        for (int ring : new int[] {4, 32, 1024}) {
            String[] r = both(true, ring, 2);
            assertEquals(r[0], r[1], "ring of " + ring);
        }
    }

    @Test
    void aPathIsWholeAfterItLeftTheRingAndGoneOnceItsHopsAreOverwritten() {
        EndpointViews views = new EndpointViews();
        StoryFinder stories = new StoryFinder(views, new SeqNumbers(views, false), false);
        PacketPaths paths = new PacketPaths(views, stories, new FateCounter(), 4, 64);
        // packet 1 stays on its way while packet 2 goes all the way: both leave the ring of four
        paths.onEvent(hop(1, TracePoint.POD_SEND, 0));
        paths.onEvent(hop(1, TracePoint.LINK_SEND, 1));
        for (int t = 2; t < 8; t++) {
            paths.onEvent(hop(2, TracePoint.LINK_SEND, t));
        }
        paths.onEvent(hop(2, TracePoint.POD_RECEIVE, 8));
        paths.onEvent(hop(1, TracePoint.LINK_DELIVER, 9));
        assertEquals(List.of(0L, 1L, 9L), times(paths.path(1)));
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L, 8L), times(paths.path(2)));
        // packet 3 finishes inside the ring: its path comes from the ring, until other hops overwrite it
        paths.onEvent(hop(3, TracePoint.POD_SEND, 10));
        paths.onEvent(hop(3, TracePoint.POD_RECEIVE, 11));
        assertEquals(List.of(10L, 11L), times(paths.path(3)));
        paths.onEvent(hop(4, TracePoint.POD_SEND, 12));
        paths.onEvent(hop(4, TracePoint.LINK_SEND, 13));
        paths.onEvent(hop(4, TracePoint.LINK_DELIVER, 14));
        assertNull(paths.path(3), "finished, and its first hop overwritten: no path rather than part of one");
        assertEquals(List.of(12L, 13L, 14L), times(paths.path(4)));
        assertNull(paths.path(99));
        assertThrows(IllegalArgumentException.class, () -> new PacketPaths(views, stories, new FateCounter(), 6, 2));
    }

    private static List<Long> times(List<TraceEvent> path) {
        return path.stream().map(TraceEvent::timeNanos).toList();
    }

    private static TraceEvent hop(long id, TracePoint point, long t) {
        return new TraceEvent(t, id, point, "x", null, null, null, null, null, null);
    }
}
