package io.kpsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which drops count as KUBE-FORWARD's, and which example a diagnosis shows. */
class FateCounterTest {

    private static final Packet ACK = Packet.tcp(
            Ip4.parse("10.244.1.2"),
            Ip4.parse("10.96.0.30"),
            new TcpSegment(40000, 80, 1, 1, TcpFlags.ACK, 512, 0, TcpOptions.NONE, 0));
    private static final Packet DATA = Packet.tcp(
            Ip4.parse("10.244.3.2"),
            Ip4.parse("10.244.1.2"),
            new TcpSegment(80, 40000, 1, 1, TcpFlags.ACK, 512, 0, TcpOptions.NONE, 1460));

    private static List<TraceEvent> path(Packet p, TracePoint end, String detail, String reason, long t) {
        return List.of(
                new TraceEvent(t, 1, TracePoint.POD_SEND, "pod", p, null, null, null, null, null),
                new TraceEvent(
                        t + 5,
                        1,
                        end,
                        "node-a",
                        p,
                        CtState.INVALID,
                        reason,
                        "INVALID: no conntrack, NAT skipped",
                        end == TracePoint.NODE_DROP ? "DROP" : "ACCEPT",
                        detail));
    }

    @Test
    void onlyTheCtstateRuleCountsAsKubeForwardsDrop() {
        FateCounter f = new FateCounter();
        f.finished(1, path(ACK, TracePoint.NODE_DROP, "no route to host 10.96.0.30", "invalid rst", 1_000));
        f.finished(
                2,
                path(
                        ACK,
                        TracePoint.NODE_DROP,
                        "filter KUBE-FORWARD #1: -m conntrack --ctstate INVALID -j DROP",
                        "ACK is under the lower bound (possible overly delayed ACK)",
                        2_000));
        f.finished(
                3,
                path(
                        DATA,
                        TracePoint.NODE_DROP,
                        "filter KUBE-FORWARD #1: -m conntrack --ctstate INVALID -j DROP",
                        "SEQ is under the lower bound (already ACKed data retransmitted)",
                        3_000));
        assertEquals(2, f.droppedInvalid);
        assertEquals(1, f.droppedOtherwise);
        assertEquals(3_005, f.firstDropped().timeNanos(), "a dropped data segment is a better example than an ACK");
        RunContext c = new RunContext("t", "", "t", 1, KernelProfile.V4_19, false, true, 1);
        Diagnosis d = Diagnosis.of(c, new RunMetrics(1, 1, 0, 3, 2, 0, 10, 0, 0, 0, 1), null, f);
        assertEquals(
                List.of(
                        "KUBE-FORWARD dropped 2 INVALID packets before they reached a pod (first at node-a 0.000003s:"
                                + " \"SEQ is under the lower bound (already ACKed data retransmitted)\")",
                        "1 INVALID packet was dropped on the way, not by a rule (first at node-a 0.000001s:"
                                + " no route to host 10.96.0.30)",
                        "accounting: 3 INVALID verdicts (the nodes' count; a packet counts once per node that marked"
                                + " it) on 3 packets: 2 dropped by a rule on ctstate INVALID, 1 dropped by a node for"
                                + " another reason"),
                d.reasons());
        assertTrue(d.fixes().isEmpty());
    }

    private static TraceEvent at(long t, TracePoint point, String where, CtState state) {
        return new TraceEvent(t, 7, point, where, DATA, state, null, null, null, "out eth0");
    }

    @Test
    void everyInvalidVerdictIsAccountedFor() {
        FateCounter f = new FateCounter();
        TraceEvent send = new TraceEvent(1, 7, TracePoint.POD_SEND, "server", DATA, null, null, null, null, null);
        // INVALID at two nodes, then delivered: two verdicts, one packet.
        f.finished(
                7,
                List.of(
                        send,
                        at(2, TracePoint.NODE_ROUTE, "node-b", CtState.INVALID),
                        at(3, TracePoint.NODE_ROUTE, "node-a", CtState.INVALID),
                        at(4, TracePoint.POD_RECEIVE, "client", null)));
        // INVALID at node-a, then lost on the link.
        f.finished(
                8,
                List.of(
                        send,
                        at(2, TracePoint.NODE_ROUTE, "node-a", CtState.INVALID),
                        at(3, TracePoint.LINK_LOSS, "l", null)));
        // INVALID at node-a, tracked at node-b.
        f.finished(
                9,
                List.of(
                        send,
                        at(2, TracePoint.NODE_ROUTE, "node-a", CtState.INVALID),
                        at(3, TracePoint.NODE_ROUTE, "node-b", CtState.ESTABLISHED),
                        at(4, TracePoint.POD_RECEIVE, "server", null)));
        assertEquals(4, f.invalidVerdicts);
        assertEquals(3, f.invalidPackets);
        assertEquals(1, f.deliveredInvalid, "the lost packet did not reach a pod");
        assertEquals(
                "accounting: 5 INVALID verdicts (the nodes' count; a packet counts once per node that marked it) on 3"
                        + " packets: 1 reached a pod without the reverse NAT, 1 lost on a link after a node had marked"
                        + " it, 1 INVALID at one node, then tracked by the next node's conntrack, and 1 verdict on"
                        + " packets still in flight when the run ended",
                f.invalidAccount(5));
    }
}
