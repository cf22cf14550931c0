package io.kpsim.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.CtState;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the ladder puts things, on hand-made ladders: no run, no browser. */
class LadderLayoutTest {

    private static final List<Lane> LANES = List.of(
            new Lane("client", LaneKind.POD, "node-a"),
            new Lane("node-a", LaneKind.NODE, "node-a"),
            new Lane("node-b", LaneKind.NODE, "node-b"),
            new Lane("server", LaneKind.POD, "node-b"));

    private static Packet packet(int flags, int seq, int len) {
        TcpSegment s = new TcpSegment(8080, 40000, seq, 1000, flags, 512, 0, TcpOptions.NONE, len);
        return Packet.tcp(Ip4.parse("10.244.2.2"), Ip4.parse("10.244.1.2"), s);
    }

    private static Arrow hop(int index, int packet, int from, int to, long depart, long arrive, CtVerdict v) {
        Packet p = packet(TcpFlags.ACK | TcpFlags.PSH, 5000, 7);
        NatRewrite nat = v == null
                ? null
                : new NatRewrite(
                        v.invalid() ? NatKind.SKIPPED : NatKind.NONE,
                        Address.source(p),
                        Address.destination(p),
                        Address.source(p),
                        Address.destination(p));
        HopEnd end = v == null ? HopEnd.DELIVERED : HopEnd.FORWARDED;
        return new Arrow(
                index,
                packet,
                100 + packet,
                from,
                to,
                depart,
                arrive,
                p,
                4000,
                1,
                65536,
                end,
                v,
                nat,
                null,
                null,
                null,
                false);
    }

    /** The blog's segment: server -> node-b -> node-a -> client, the node-to-node hop taking no time (boom). */
    private static Ladder zeroDelayLadder() {
        CtVerdict invalid =
                CtVerdict.of(CtState.INVALID, "SEQ is under the lower bound (already ACKed data retransmitted)");
        List<Arrow> arrows = new ArrayList<>();
        arrows.add(hop(0, 0, 3, 2, 1_000, 3_000, invalid));
        arrows.add(hop(1, 0, 2, 1, 3_000, 3_000, invalid));
        arrows.add(hop(2, 0, 1, 0, 3_000, 5_000, null));
        return new Ladder("test", LANES, arrows, List.of(), List.of(), 0, 1, 1);
    }

    @Test
    void lanesStandInOrderAtEvenDistances() {
        LadderLayout l = LadderLayout.of(zeroDelayLadder(), LadderLayout.Style.FULL, false);
        for (int i = 1; i < l.laneX.length; i++) {
            assertEquals(LadderLayout.Style.FULL.laneGap(), l.laneX[i] - l.laneX[i - 1], 1e-9);
        }
        assertTrue(l.width >= l.laneX[3] + 100, "room for the server's boxes");
    }

    @Test
    void everyArrowPointsDownEvenWhenAHopTakesNoTime() {
        Ladder ladder = zeroDelayLadder();
        LadderLayout l = LadderLayout.of(ladder, LadderLayout.Style.FULL, false);
        for (LadderLayout.Line line : l.lines) {
            assertTrue(line.y2() > line.y1(), "down: " + line);
        }
        assertEquals(l.laneX[3], l.lines.get(0).x1());
        assertEquals(l.laneX[2], l.lines.get(0).x2());
        assertEquals(l.laneX[0], l.lines.get(2).x2());
        // the packet leaves a node from the bottom of the node's box
        LadderLayout.Box atNodeB = l.boxes.get(0);
        assertEquals(l.lines.get(0).y2(), atNodeB.y(), 1e-9);
        assertEquals(atNodeB.y() + LadderLayout.Style.FULL.box(), l.lines.get(1).y1(), 1e-9);
    }

    @Test
    void nodeBoxesSayTheVerdictAndTheNat() {
        LadderLayout l = LadderLayout.of(zeroDelayLadder(), LadderLayout.Style.FULL, false);
        assertEquals(2, l.boxes.size(), "one box per node arrival; none for a plain delivery");
        assertEquals(List.of("INVALID", "NAT skipped"), l.boxes.get(0).lines());
        assertEquals("invalid", l.boxes.get(0).kind());
        assertEquals(l.laneX[2], l.boxes.get(0).x() + l.boxes.get(0).width() / 2, 1e-9, "centred on node-b's lane");
    }

    @Test
    void rowsFollowTimeAndEachTimeIsWrittenOnce() {
        LadderLayout l = LadderLayout.of(zeroDelayLadder(), LadderLayout.Style.FULL, false);
        List<Long> times = new ArrayList<>();
        double lastY = -1;
        for (LadderLayout.TimeLabel t : l.times) {
            assertTrue(t.y() > lastY);
            lastY = t.y();
            times.add(t.nanos());
        }
        assertEquals(List.of(1_000L, 3_000L, 5_000L), times);
    }

    @Test
    void aGapGetsABandBetweenThePacketsItSeparates() {
        Ladder base = zeroDelayLadder();
        List<Arrow> arrows = new ArrayList<>(base.arrows());
        arrows.add(hop(3, 1, 0, 1, 90_000, 92_000, null));
        Gap gap = new Gap(0, 212, 10_000, 80_000);
        Ladder ladder = new Ladder("test", LANES, arrows, List.of(), List.of(gap), 0, 1, 1);
        LadderLayout l = LadderLayout.of(ladder, LadderLayout.Style.FULL, false);
        assertEquals(1, l.gaps.size());
        double band = l.gaps.get(0).y();
        assertTrue(band > l.lines.get(2).y2(), "below the first packet's delivery");
        assertTrue(band < l.lines.get(3).y1(), "above the next packet");
        assertTrue(
                LadderSvg.render(ladder, "t", false, false, "").contains("212 packets of this connection not shown"));
    }

    @Test
    void aLostPacketStopsShortOfTheLane() {
        List<Arrow> arrows = List.of(new Arrow(
                0,
                0,
                1,
                3,
                2,
                0,
                10,
                packet(TcpFlags.ACK, 1, 100),
                1,
                1,
                512,
                HopEnd.LOST,
                null,
                null,
                null,
                "lost",
                null,
                false));
        Ladder ladder = new Ladder("test", LANES, arrows, List.of(), List.of(), 0, 1, 1);
        LadderLayout l = LadderLayout.of(ladder, LadderLayout.Style.FULL, false);
        LadderLayout.Line line = l.lines.get(0);
        assertTrue(line.x2() > l.laneX[2] && line.x2() < l.laneX[3], "between the lanes: " + line);
        assertTrue(LadderSvg.render(ladder, "t", false, false, "").contains("class=\"arrow lost anchor\""));
    }

    @Test
    void labelsUseRelativeNumbersAndTcpdumpsFlags() {
        Arrow a = zeroDelayLadder().arrows().get(0);
        assertEquals("[P.] seq 4000:4007 ack 1 win 512 len 7", Fmt.label(a));
        Arrow unknown = new Arrow(
                0,
                0,
                1,
                3,
                2,
                0,
                1,
                packet(TcpFlags.ACK, 5000, 0),
                Arrow.UNKNOWN,
                Arrow.UNKNOWN,
                -1,
                HopEnd.FORWARDED,
                null,
                null,
                null,
                null,
                null,
                false);
        assertEquals("[.] ack 1000 win 512", Fmt.label(unknown), "absolute when the handshake is unknown");
    }
}
