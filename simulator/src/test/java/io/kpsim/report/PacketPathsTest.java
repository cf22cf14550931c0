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
 * The packets' own hop lists tell the same stories whatever the table's size: a table of one or
 * two slots (nearly every packet a straggler) gives the same report, hop for hop, as the run's
 * usual size, on links that lose, duplicate and hold back packets; a path is whole while its packet
 * is on its way and until the next packet finishes, and gone after that; a new packet reuses the
 * facts of one let go.
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

    private static String[] both(boolean impaired, int slots) {
        Cluster c = boom(impaired);
        RunObserver usual = new RunObserver(false, true);
        RunObserver small = new RunObserver(false, true, slots);
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
    void aTableOfTwoSlotsTellsTheSameStories() {
        String[] r = both(false, 2);
        assertTrue(r[0].contains("INVALID"), r[0]);
        assertEquals(r[0], r[1]);
    }

    @Test
    void theSameOnLinksThatLoseDuplicateAndHoldBack() {
        for (int slots : new int[] {1, 2, 32}) {
            String[] r = both(true, slots);
            assertEquals(r[0], r[1], slots + " slots");
        }
    }

    @Test
    void aPathIsWholeWhileOnItsWayAndUntilTheNextPacketFinishes() {
        EndpointViews views = new EndpointViews();
        StoryFinder stories = new StoryFinder(views, new SeqNumbers(views, false), false);
        PacketPaths paths = new PacketPaths(views, stories, new FateCounter(), 2);
        // packet 1 stays on its way while packets 2 and 3 (its slot's next tenant) go all the way
        paths.onEvent(hop(1, TracePoint.POD_SEND, 0));
        paths.onEvent(hop(1, TracePoint.LINK_SEND, 1));
        for (int t = 2; t < 8; t++) {
            paths.onEvent(hop(2, TracePoint.LINK_SEND, t));
        }
        paths.onEvent(hop(2, TracePoint.POD_RECEIVE, 8));
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L, 8L), times(paths.path(2)));
        paths.onEvent(new TraceEvent(9, 2, TracePoint.SOCKET, "x", null, null, "RST_NO_SOCKET", null, null, null));
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), times(paths.path(2)), "its socket events follow it");
        paths.onEvent(hop(3, TracePoint.POD_SEND, 10));
        paths.onEvent(hop(3, TracePoint.POD_RECEIVE, 11));
        assertNull(paths.path(2), "another packet finished since: no path rather than part of one");
        assertEquals(List.of(10L, 11L), times(paths.path(3)));
        paths.onEvent(hop(1, TracePoint.LINK_DELIVER, 12));
        assertEquals(List.of(0L, 1L, 12L), times(paths.path(1)), "a straggler keeps its whole path");
        paths.onEvent(hop(1, TracePoint.POD_RECEIVE, 13));
        assertEquals(List.of(0L, 1L, 12L, 13L), times(paths.path(1)));
        assertNull(paths.path(3));
        // a duplicate's other copy, after the first has finished: a path of its own
        paths.onEvent(hop(1, TracePoint.LINK_DELIVER, 14));
        assertEquals(List.of(14L), times(paths.path(1)));
        assertNull(paths.path(99));
        assertThrows(IllegalArgumentException.class, () -> new PacketPaths(views, stories, new FateCounter(), 6));
    }

    @Test
    void aNewPacketReusesTheFactsOfOneLetGo() {
        EndpointViews views = new EndpointViews();
        StoryFinder stories = new StoryFinder(views, new SeqNumbers(views, false), false);
        PacketPaths paths = new PacketPaths(views, stories, new FateCounter(), 1024);
        // 10,000 packets, three on their way at a time: a few facts serve them all
        for (int id = 0; id < 10_000; id++) {
            paths.onEvent(hop(id, TracePoint.POD_SEND, 2L * id));
            if (id >= 2) {
                paths.onEvent(hop(id - 2, TracePoint.POD_RECEIVE, 2L * id + 1));
            }
        }
        assertTrue(paths.factsMade() <= 5, "facts made: " + paths.factsMade());
        assertEquals(List.of(19_994L, 19_999L), times(paths.path(9_997)), "the last packet that finished");
        assertNull(paths.path(9_996), "let go: its facts serve another packet");
        assertEquals(List.of(19_998L), times(paths.path(9_999)), "on its way");
        paths.onEvent(hop(9_996, TracePoint.LINK_DELIVER, 20_000)); // a late copy of a packet let go
        assertEquals(List.of(20_000L), times(paths.path(9_996)), "a path of its own");
        assertEquals(List.of(19_998L), times(paths.path(9_999)), "the others' paths untouched");
    }

    private static List<Long> times(List<TraceEvent> path) {
        return path.stream().map(TraceEvent::timeNanos).toList();
    }

    private static TraceEvent hop(long id, TracePoint point, long t) {
        return new TraceEvent(t, id, point, "x", null, null, null, null, null, null);
    }
}
