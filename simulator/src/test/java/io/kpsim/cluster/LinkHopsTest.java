package io.kpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.engine.Durations;
import io.kpsim.packet.Ip4;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A {@link LinkHopsListener} reads a link's hop (LINK_SEND, LINK_DELIVER) from the node verdict or
 * pod receipt at its far end: the events {@link TraceEvent#linkHops()} makes are, line for line,
 * the link events a listener of every point gets, in the same place of each packet's path, also on
 * links that lose, duplicate, hold back and delay packets by a random jitter; it is handed no
 * LINK_SEND or LINK_DELIVER event of a hop that came with an arrival, and without a listener of
 * those points the links make none.
 */
class LinkHopsTest {

    /** Each packet's path as a listener sees it, the hops put back in place; socket actions of no packet under -1. */
    private static final class Hops implements LinkHopsListener, HookStepsListener {
        final Map<Long, List<String>> paths = new LinkedHashMap<>();
        int hopEvents;
        int arrivalsWithHops;

        /** As the narration takes them: no hook steps and no link hops of their own. */
        @Override
        public Set<TracePoint> points() {
            return EnumSet.complementOf(
                    EnumSet.of(TracePoint.NODE_HOOK, TracePoint.LINK_SEND, TracePoint.LINK_DELIVER));
        }

        @Override
        public void onEvent(TraceEvent e) {
            List<String> path = paths.computeIfAbsent(e.packetId(), id -> new ArrayList<>());
            if (e.point() == TracePoint.LINK_SEND || e.point() == TracePoint.LINK_DELIVER) {
                hopEvents++;
            }
            if (e.hasLinkHops()) {
                arrivalsWithHops++;
                assertEquals(e.linkHops().get(1).where(), e.linkHopWhere());
                assertTrue(e.linkHops().get(1).packet() == e.linkHopPacket());
            }
            for (TraceEvent h : e.linkHops()) {
                path.add(h.line());
            }
            for (TraceEvent h : e.hooks()) {
                path.add(h.line());
            }
            path.add(e.line());
        }
    }

    private static Map<Long, List<String>> byPacket(List<TraceEvent> events) {
        Map<Long, List<String>> paths = new LinkedHashMap<>();
        for (TraceEvent e : events) {
            paths.computeIfAbsent(e.packetId(), id -> new ArrayList<>()).add(e.line());
        }
        return paths;
    }

    @Test
    void theHopsWithAnArrivalAreTheLinkEventsLineForLine() {
        Cluster c = BlogClusters.boom(3, KernelProfile.V4_19, Map.of(), false);
        List<TraceEvent> every = new ArrayList<>();
        c.addTraceListener(every::add);
        Hops hops = new Hops();
        c.addTraceListener(hops);
        c.run(Durations.seconds(2));
        assertEquals(0, hops.hopEvents, "a link-hops listener is handed no LINK_SEND or LINK_DELIVER event");
        assertTrue(hops.arrivalsWithHops >= 10, "arrivals with hops: " + hops.arrivalsWithHops);
        assertTrue(every.stream().anyMatch(e -> e.point() == TracePoint.LINK_SEND), "the other listener gets hops");
        assertEquals(byPacket(every), hops.paths);
    }

    @Test
    void onImpairedLinksEveryHopIsThereAndADuplicatesOrHeldPacketsHopsStayEvents() {
        LinkImpairments rough = LinkImpairments.delay(Durations.micros(300))
                .withJitter(Durations.micros(200))
                .withLoss(0.05)
                .withDuplicate(0.1)
                .withHoldBack(0.1, Durations.millis(2));
        Cluster c = BlogClusters.twoNodes(7, KernelProfile.V6_18, Map.of(), false)
                .link("node-a", "node-b", rough)
                .link("node-b", "node-a", rough)
                .workload(new FileServerSpec("server", 9000, 200_000, true))
                .workload(new DownloadClientSpec("client", Ip4.parse(BlogClusters.VIP), 9000, 200_000, 3, 1, 0))
                .build();
        List<TraceEvent> every = new ArrayList<>();
        c.addTraceListener(every::add);
        Hops hops = new Hops();
        c.addTraceListener(hops);
        c.run(Durations.seconds(5));
        Set<Long> duplicated = new HashSet<>();
        for (TraceEvent e : every) {
            if (e.point() == TracePoint.LINK_DUPLICATE) {
                duplicated.add(e.packetId());
            }
        }
        for (TracePoint p : List.of(TracePoint.LINK_DUPLICATE, TracePoint.LINK_HOLD_BACK, TracePoint.LINK_LOSS)) {
            assertTrue(every.stream().anyMatch(e -> e.point() == p), "no " + p + " in the run");
        }
        assertTrue(hops.hopEvents > 0, "a duplicate's or held packet's hops come as events");
        assertTrue(hops.arrivalsWithHops > 100, "arrivals with hops: " + hops.arrivalsWithHops);
        Map<Long, List<String>> expected = byPacket(every);
        assertEquals(expected.keySet(), hops.paths.keySet());
        for (Map.Entry<Long, List<String>> path : expected.entrySet()) {
            List<String> want = path.getValue();
            List<String> got = hops.paths.get(path.getKey());
            if (duplicated.contains(path.getKey())) {
                // two copies of one id: each copy's hops are in place, the copies' events interleave otherwise
                want = new ArrayList<>(want);
                got = new ArrayList<>(got);
                Collections.sort(want);
                Collections.sort(got);
            }
            assertEquals(want, got, "packet " + path.getKey());
        }
    }

    @Test
    void withoutAListenerOfHopEventsTheLinksMakeNone() {
        Cluster c = BlogClusters.boom(3, KernelProfile.V4_19, Map.of(), false);
        Hops hops = new Hops();
        c.addTraceListener(hops);
        c.run(Durations.seconds(1));
        assertTrue(c.tracer().hopsWithArrivals());
        assertFalse(c.tracer().wants(TracePoint.LINK_SEND));
        assertFalse(c.tracer().wants(TracePoint.LINK_DELIVER));
        assertEquals(0, hops.hopEvents);
        assertTrue(hops.arrivalsWithHops > 0);
    }
}
