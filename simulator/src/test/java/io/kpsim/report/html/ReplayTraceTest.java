package io.kpsim.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.pcap.PcapWriter;
import io.kpsim.replay.NodeConfig;
import io.kpsim.replay.ReplayOptions;
import io.kpsim.replay.Replayer;
import io.kpsim.replay.ServiceMapping;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pictures of a replayed capture, without a browser: a small capture of the blog's pattern on
 * one node (handshake, data, a server segment far beyond the client's window, the client's RST to
 * the pod IP) replayed with a {@link ReplayTrace}, and the ladder, window plot and outcomes it gives.
 */
class ReplayTraceTest {

    private static final int CLIENT = Ip4.parse("10.244.1.2");
    private static final int VIP = Ip4.parse("10.96.0.10");
    private static final int POD = Ip4.parse("10.244.2.3");
    private static final int CLIENT_ISN = 1000;
    private static final int SERVER_ISN = 5000;
    /** How far beyond the client's window the forged segment starts. */
    private static final int AHEAD = 300_000;
    /** The record index of the INVALID segment, and of the client's RST. */
    private static final int SEGMENT = 6;

    private static final int RST = 7;

    @TempDir
    Path dir;

    private static Packet tcp(int src, int sport, int dst, int dport, int seq, int ack, int flags, int len) {
        TcpOptions options = (flags & TcpFlags.SYN) != 0 ? TcpOptions.syn(1460, 7, true) : TcpOptions.NONE;
        return Packet.tcp(src, dst, new TcpSegment(sport, dport, seq, ack, flags, 502, 0, options, len));
    }

    private Path capture() {
        int ack = TcpFlags.ACK;
        int psh = TcpFlags.PSH | TcpFlags.ACK;
        List<Packet> packets = List.of(
                tcp(CLIENT, 40001, VIP, 80, CLIENT_ISN, 0, TcpFlags.SYN, 0),
                tcp(POD, 8080, CLIENT, 40001, SERVER_ISN, CLIENT_ISN + 1, TcpFlags.SYN | ack, 0),
                tcp(CLIENT, 40001, VIP, 80, CLIENT_ISN + 1, SERVER_ISN + 1, ack, 0),
                tcp(CLIENT, 40001, VIP, 80, CLIENT_ISN + 1, SERVER_ISN + 1, psh, 100),
                tcp(POD, 8080, CLIENT, 40001, SERVER_ISN + 1, CLIENT_ISN + 101, ack, 1448),
                tcp(CLIENT, 40001, VIP, 80, CLIENT_ISN + 101, SERVER_ISN + 1449, ack, 0),
                tcp(POD, 8080, CLIENT, 40001, SERVER_ISN + 1449 + AHEAD, CLIENT_ISN + 101, psh, 1448),
                tcp(CLIENT, 40001, POD, 8080, CLIENT_ISN + 101, 0, TcpFlags.RST, 0));
        Path file = dir.resolve("node.pcap");
        try (PcapWriter w = PcapWriter.create(file)) {
            long t = 1_700_000_000_000_000_000L;
            for (Packet p : packets) {
                w.write(t, p);
                t += 1_000_000L;
            }
        }
        return file;
    }

    private Page page(KernelProfile kernel, int segment, int rst) {
        NodeConfig config = new NodeConfig(
                List.of(ServiceMapping.parse("10.96.0.10:80=10.244.2.3:8080")),
                kernel,
                Sysctls.defaults(kernel),
                false,
                7);
        Path file = capture();
        ReplayTrace trace = new ReplayTrace("node.pcap", segment, rst);
        new Replayer(config, ReplayOptions.plain(false)).replay(file, "node.pcap", trace, trace);
        return PageBuilder.replay("t", "d", "s", "v", List.of(), List.of(), trace);
    }

    @Test
    void theLanesAreTheClientTheNodeAndTheServerAsTheCaptureAddressesThem() {
        Ladder l = page(KernelProfile.V4_19, SEGMENT, RST).ladder();
        assertNotNull(l, "a ladder around the reset");
        List<String> names = new ArrayList<>();
        List<LaneKind> kinds = new ArrayList<>();
        for (Lane lane : l.lanes()) {
            names.add(lane.name());
            kinds.add(lane.kind());
        }
        assertEquals(List.of("10.244.1.2", ReplayTrace.NODE, "10.244.2.3"), names);
        assertEquals(List.of(LaneKind.POD, LaneKind.NODE, LaneKind.POD), kinds);
        assertEquals(CLIENT_ISN, l.clientIsn());
        assertEquals(SERVER_ISN, l.serverIsn());
    }

    @Test
    void theInvalidSegmentSkipsNatAndTheStorysStepsAreNumberedInOrder() {
        Ladder l = page(KernelProfile.V4_19, SEGMENT, RST).ladder();
        long lastDepart = Long.MIN_VALUE;
        for (Arrow a : l.arrows()) {
            assertTrue(a.departNanos() >= lastDepart, "arrows by departure time");
            lastDepart = a.departNanos();
        }
        Arrow atNode = null;
        Arrow toClient = null;
        for (Arrow a : l.arrows()) {
            if (a.packetId() == SEGMENT && a.verdict() != null) {
                atNode = a;
            } else if (a.packetId() == SEGMENT && a.end() == HopEnd.DELIVERED) {
                toClient = a;
            }
        }
        assertNotNull(atNode);
        assertNotNull(toClient);
        assertEquals(CtState.INVALID, atNode.verdict().state());
        assertTrue(
                atNode.verdict().reason().startsWith("SEQ is over the upper bound"),
                atNode.verdict().reason());
        assertEquals("NAT skipped", atNode.nat().label());
        assertEquals(1449 + AHEAD, atNode.relativeSeq(), "seq relative to the server's ISN");
        assertEquals(101, atNode.relativeAck());
        assertEquals(
                Ip4.format(POD, 8080), Address.source(toClient.packet()).toString(), "the pod IP reaches the client");
        // the entry before and after: an INVALID packet leaves it as it was
        assertNotNull(atNode.conntrack());
        assertNotNull(atNode.conntrack().before());
        assertEquals(atNode.conntrack().before(), atNode.conntrack().after());
        List<Integer> steps = new ArrayList<>();
        int lastArrow = -1;
        for (StoryMark m : l.steps()) {
            steps.add(m.number());
            assertTrue(m.arrow() >= lastArrow, "step " + m.number() + " after the one before");
            lastArrow = m.arrow();
        }
        assertEquals(List.of(1, 2, 3, 4), steps, "a node's capture tells the RST's last hop as step 4");
        assertEquals(atNode.index(), l.steps().get(0).arrow());
    }

    @Test
    void withoutAStoryTheLadderIsAroundTheFirstPacketConntrackDidNotAccept() {
        Page p = page(KernelProfile.V4_19, -1, -1);
        assertNotNull(p.ladder());
        assertTrue(p.ladder().steps().isEmpty(), "no story without the diagnosis's packets");
        Arrow anchor =
                p.ladder().arrows().stream().filter(Arrow::invalid).findFirst().orElseThrow();
        assertEquals(SEGMENT, anchor.packetId());
        assertEquals(1, p.connections().size());
        assertEquals("10.244.2.3:8080", p.connections().get(0).endpoint().toString());
        assertEquals(Outcome.RESET, p.connections().get(0).outcome(), "the RST the node forwarded ends it");
    }

    @Test
    void theWindowPlotMarksTheSegmentAboveTdMaxendWithTheEntrysBound() {
        Page p = page(KernelProfile.V4_19, SEGMENT, RST);
        assertEquals(1, p.plots().size());
        WindowPlot plot = p.plots().get(0);
        assertEquals(ReplayTrace.NODE, plot.node());
        assertEquals(SERVER_ISN, plot.base(), "server sequence numbers relative to its ISN");
        assertTrue(plot.hasConntrackBounds(), "td_end, td_maxend and the lower bound from the entries");
        assertEquals(1, plot.marks().size());
        PlotMark m = plot.marks().get(0);
        assertEquals(WindowBound.SEQ_UPPER, m.bound());
        assertEquals(1449 + AHEAD, m.seq());
        long maxend = plot.tdMaxEnd().get(plot.tdMaxEnd().size() - 1).value();
        assertEquals(maxend, m.boundValue(), "the bound is td_maxend before the packet");
        assertTrue(m.seq() > m.boundValue());
        // 6.18 prints the bound; the mark's value is the same td_maxend either way
        PlotMark m618 =
                page(KernelProfile.V6_18, SEGMENT, RST).plots().get(0).marks().get(0);
        assertEquals(m.boundValue(), m618.boundValue());
        assertTrue(
                m618.verdict().reason().contains("upper bound " + (SERVER_ISN + maxend + 1)),
                m618.verdict().reason());
    }

    @Test
    void aPacketNotInTheCaptureLeavesNoLadder() {
        Page p = page(KernelProfile.V4_19, 99, -1);
        assertNull(p.ladder(), "the anchor was never replayed");
        assertTrue(p.plots().isEmpty());
    }
}
