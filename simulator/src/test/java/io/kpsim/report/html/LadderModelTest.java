package io.kpsim.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.cluster.TracePoint;
import io.kpsim.conntrack.CtState;
import io.kpsim.packet.TcpFlags;
import io.kpsim.report.RunObserver;
import io.kpsim.report.RunReport;
import io.kpsim.report.StoryPackets;
import io.kpsim.scenario.ScenarioRun;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ladder's model, from real runs of the library scenarios, checked without a browser. */
class LadderModelTest {

    private static Page blog;
    private static StoryPackets blogStory;
    /** The client port's SYN and the server's SYN-ACK sequence numbers, seen by a separate listener. */
    private static final Map<Integer, long[]> ISNS = new HashMap<>();

    @BeforeAll
    static void runBlog() {
        RunObserver observer = new RunObserver();
        LadderRecorder recorder = LadderRecorder.of(observer);
        RunReport report = ScenarioRun.run(
                Runs.load("blog-reset"),
                new ScenarioRun.Options(true, null, false, null),
                null,
                observer,
                List.of(recorder, e -> {
                    if (e.point() == TracePoint.POD_SEND && e.packet().tcp().has(TcpFlags.SYN)) {
                        boolean client = !e.packet().tcp().has(TcpFlags.ACK);
                        int port = client ? e.packet().srcPort() : e.packet().dstPort();
                        ISNS.computeIfAbsent(port, p -> new long[2])[client ? 0 : 1] =
                                Integer.toUnsignedLong(e.packet().tcp().seq());
                    }
                }));
        blog = PageBuilder.build(report, recorder);
        blogStory = recorder.storyPackets();
    }

    private static List<Arrow> arrowsOf(Ladder l, long packetId) {
        List<Arrow> out = new ArrayList<>();
        for (Arrow a : l.arrows()) {
            if (a.packetId() == packetId) {
                out.add(a);
            }
        }
        return out;
    }

    private static String lane(Ladder l, int i) {
        return l.lanes().get(i).name();
    }

    @Test
    void lanesAreInTopologyOrder() {
        assertEquals(
                List.of("client", "node-a", "node-b", "server"),
                blog.ladder().lanes().stream().map(Lane::name).toList());
        assertEquals(
                List.of(LaneKind.POD, LaneKind.NODE, LaneKind.NODE, LaneKind.POD),
                blog.ladder().lanes().stream().map(Lane::kind).toList());
        Ladder congested = Runs.run("congested-4.19").page().ladder();
        assertEquals(
                List.of("client-6", "node-b", "node-c", "nginx"),
                congested.lanes().stream().map(Lane::name).toList());
    }

    @Test
    void theStorySegmentCrossesBothNodesInvalidAndReachesTheClientWithoutNat() {
        Ladder l = blog.ladder();
        List<Arrow> seg = arrowsOf(l, blogStory.segmentId());
        assertEquals(3, seg.size(), seg.toString());
        assertEquals("server", lane(l, seg.get(0).from()));
        assertEquals("node-b", lane(l, seg.get(0).to()));
        assertEquals("node-a", lane(l, seg.get(1).to()));
        assertEquals("client", lane(l, seg.get(2).to()));
        for (int i = 0; i < 2; i++) {
            assertEquals(CtState.INVALID, seg.get(i).verdict().state());
            assertEquals(
                    "SEQ is over the upper bound (over the window of the receiver)",
                    seg.get(i).verdict().reason());
            assertEquals(NatKind.SKIPPED, seg.get(i).nat().kind());
            assertEquals("NAT skipped", seg.get(i).nat().label());
        }
        assertEquals(HopEnd.DELIVERED, seg.get(2).end());
        assertEquals("NO_SOCKET_RST_SENT", seg.get(2).action());
        assertEquals("10.244.2.2:8080", Address.source(seg.get(2).packet()).toString(), "the pod IP, not the VIP");
        assertTrue(seg.get(0).injected());
    }

    @Test
    void theRstIsInvalidNewAtTheClientsNodeAndAcceptedByTheServer() {
        Ladder l = blog.ladder();
        List<Arrow> rst = arrowsOf(l, blogStory.rstId());
        assertEquals(3, rst.size(), rst.toString());
        assertEquals("client", lane(l, rst.get(0).from()));
        assertEquals(CtState.INVALID, rst.get(0).verdict().state());
        // blog-reset runs 4.19, where tcp_new()'s refusal is a pr_debug
        assertEquals(
                "invalid new (not logged by this kernel)", rst.get(0).verdict().reason());
        assertEquals(CtState.ESTABLISHED, rst.get(1).verdict().state());
        assertEquals(NatKind.NONE, rst.get(1).nat().kind());
        assertEquals("server", lane(l, rst.get(2).to()));
        assertEquals("RST_ACCEPTED", rst.get(2).action());
        assertTrue(rst.get(0).packet().tcp().has(TcpFlags.RST));
    }

    @Test
    void natRewritesAreReadFromTheAddresses() {
        Ladder l = blog.ladder();
        boolean dnat = false;
        boolean reverse = false;
        for (Arrow a : l.arrows()) {
            if (a.nat() != null && a.nat().kind() == NatKind.DNAT) {
                assertEquals("node-a", lane(l, a.to()));
                assertEquals("10.96.0.10:80 \u2192 10.244.2.2:8080", a.nat().label());
                dnat = true;
            }
            if (a.nat() != null && a.nat().kind() == NatKind.REVERSE) {
                assertEquals("node-a", lane(l, a.to()));
                assertEquals("10.244.2.2:8080 \u2192 10.96.0.10:80", a.nat().label());
                reverse = true;
            }
        }
        assertTrue(dnat && reverse, "the context shows both the DNAT and the reverse NAT at node-a");
    }

    @Test
    void arrowsRunDownInTimeAndHopsFollowEachOther() {
        Ladder l = blog.ladder();
        long last = Long.MIN_VALUE;
        for (Arrow a : l.arrows()) {
            assertTrue(a.departNanos() >= last, "arrows are in departure order: " + a);
            assertTrue(a.arriveNanos() >= a.departNanos(), "an arrow arrives after it leaves: " + a);
            assertEquals(a.index(), l.arrows().indexOf(a));
            last = a.departNanos();
        }
        for (int p = 0; p < l.packetCount(); p++) {
            Arrow previous = null;
            for (Arrow a : l.arrows()) {
                if (a.packetIndex() != p) {
                    continue;
                }
                if (previous != null) {
                    assertEquals(previous.to(), a.from(), "a packet leaves the lane its previous hop reached");
                    assertEquals(previous.arriveNanos(), a.departNanos(), "nodes forward in no time");
                }
                previous = a;
            }
        }
    }

    @Test
    void sequenceNumbersAreRelativeToEachSidesIsn() {
        Ladder l = blog.ladder();
        Arrow forged = arrowsOf(l, blogStory.segmentId()).get(0);
        long[] isn = ISNS.get(forged.packet().dstPort());
        assertNotNull(isn, "the handshake of the story's connection was seen");
        assertEquals(isn[0], l.clientIsn());
        assertEquals(isn[1], l.serverIsn());
        long seq = Integer.toUnsignedLong(forged.packet().tcp().seq());
        long ack = Integer.toUnsignedLong(forged.packet().tcp().ack());
        assertEquals(seq - isn[1], forged.relativeSeq());
        assertEquals(ack - isn[0], forged.relativeAck());
        assertEquals(
                "[P.] seq " + (seq - isn[1]) + ":" + (seq - isn[1] + 7) + " ack " + (ack - isn[0]) + " win 512 len 7",
                Fmt.label(forged));
        Arrow rst = arrowsOf(l, blogStory.rstId()).get(0);
        assertEquals(Arrow.UNKNOWN, rst.relativeAck(), "a RST without ACK has no acknowledgement number");
        assertEquals("[R] seq " + (ack - isn[0]) + " win 0", Fmt.label(rst));
    }

    @Test
    void theFiveStepsAreOnTheirArrows() {
        Ladder l = blog.ladder();
        assertEquals(
                List.of(1, 2, 3, 4, 5),
                l.steps().stream().map(StoryMark::number).toList());
        List<Arrow> seg = arrowsOf(l, blogStory.segmentId());
        List<Arrow> rst = arrowsOf(l, blogStory.rstId());
        assertEquals(seg.get(0).index(), l.steps().get(0).arrow(), "1: the first INVALID hop (node-b)");
        assertEquals(seg.get(2).index(), l.steps().get(1).arrow(), "2: delivered to the client without NAT");
        assertEquals(rst.get(0).index(), l.steps().get(2).arrow(), "3: the client's RST");
        assertEquals(rst.get(1).index(), l.steps().get(3).arrow(), "4: forwarded pod-to-pod");
        assertEquals(rst.get(2).index(), l.steps().get(4).arrow(), "5: accepted by the server");
        assertEquals(blog.story().get(0).title(), l.steps().get(0).title());
        assertEquals(l.packetCount() > 0 ? seg.get(0).packetIndex() : -1, l.anchorPacket());
    }

    @Test
    void leftOutPacketsAreCountedNotDropped() {
        Ladder l = blog.ladder();
        assertFalse(l.gaps().isEmpty(), "a 2 MiB download sends hundreds of packets during the story");
        for (Gap g : l.gaps()) {
            assertTrue(g.packets() > 0);
            assertTrue(g.fromNanos() <= g.toNanos());
        }
    }

    @Test
    void theWindowPlotMarksTheInvalidSegmentAboveTheWindow() {
        WindowPlot p = Runs.withoutEntries("blog-reset").page().plots().get(0);
        assertEquals("node-a", p.node());
        assertEquals(1, p.marks().size(), p.marks().toString());
        PlotMark m = p.marks().get(0);
        assertEquals(WindowBound.SEQ_UPPER, m.bound());
        assertEquals(PlotMark.UNKNOWN, m.boundValue(), "4.19 prints no number and this recorder keeps no entry");
        long edge = p.windowEdge().get(p.windowEdge().size() - 1).value();
        assertTrue(m.seq() > edge, "the segment starts beyond the client's advertised window");
        assertFalse(p.hasConntrackBounds());
    }

    @Test
    void withRecordedEntriesThePlotDrawsConntracksBounds() {
        Page page = Runs.run("blog-reset").page();
        WindowPlot p = page.plots().get(0);
        assertTrue(p.hasConntrackBounds());
        PlotMark m = p.marks().get(0);
        assertTrue(m.boundValue() != PlotMark.UNKNOWN);
        assertTrue(m.seq() > m.boundValue(), "INVALID above td_maxend: " + m);
        boolean entries = false;
        for (Arrow a : page.ladder().arrows()) {
            if (a.conntrack() != null && a.conntrack().after() != null && a.invalid()) {
                assertEquals(a.conntrack().before(), a.conntrack().after(), "an INVALID packet changes no entry");
                entries = true;
            }
        }
        assertTrue(entries);
        Page boom = Runs.run("boom-4.19").page();
        PlotMark low = boom.plots().get(0).marks().get(0);
        assertEquals(WindowBound.SEQ_LOWER, low.bound());
        assertTrue(low.end() < low.boundValue(), "INVALID below td_end - td_maxwin: " + low);
    }

    @Test
    void onSixEighteenTheIgnoredSegmentIsTheAnchorAndThePrintedBoundIsPlotted() {
        Page page = Runs.run("boom-6.18").page();
        assertTrue(page.story().isEmpty());
        Ladder l = page.ladder();
        assertTrue(l.steps().isEmpty());
        Arrow ignored = null;
        for (Arrow a : l.arrows()) {
            if (a.verdict() != null && a.verdict().ignored()) {
                ignored = a;
            }
        }
        assertNotNull(ignored, "the boom segment is ignored, not INVALID");
        assertEquals(NatKind.REVERSE, ignored.nat().kind(), "ignored packets keep their conntrack and NAT");
        PlotMark m = page.plots().get(0).marks().get(0);
        assertTrue(m.verdict().ignored());
        assertEquals(WindowBound.SEQ_LOWER, m.bound());
        long printed = WindowBound.printedValue(m.verdict().reason());
        assertEquals(PlotBuilder.rel((int) (printed + 1), page.plots().get(0).base()), m.boundValue());
        assertTrue(m.end() < m.boundValue());
    }

    @Test
    void withoutAnythingNotAcceptedThereIsNoLadder() {
        Page page = Runs.run("blog-reset-be-liberal").page();
        assertNull(page.ladder(), "be_liberal accepts the forged segment: nothing to draw");
        assertTrue(page.plots().isEmpty());
        assertNull(page.afterStory());
    }

    @Test
    void injectionsAndEndpointsAreAccounted() {
        assertEquals(1, blog.injections().size());
        InjectionOutcome i = blog.injections().get(0);
        assertEquals("server", i.pod());
        assertEquals("node-a", i.node());
        assertTrue(i.verdict().invalid());
        assertEquals(HopEnd.DELIVERED, i.end());
        assertTrue(i.detail().contains("no socket: sent RST"), i.detail());
        assertEquals(
                List.of(new EndpointTally("server", new Address(0x0af40202, 8080), 10, 9, 1, 0)), blog.endpoints());
    }
}
