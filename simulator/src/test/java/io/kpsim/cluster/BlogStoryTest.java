package io.kpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.engine.Durations;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The blog's five packets (kube-proxy.md §1.7, kernel-conntrack.md §5.4), driven by the boom
 * server's injected segment, and the fixes that stop them.
 */
class BlogStoryTest {

    private static final int SERVER = Ip4.parse(BlogClusters.SERVER_IP);
    private static final int CLIENT = Ip4.parse(BlogClusters.CLIENT_IP);
    /** 100 Mbit/s between the nodes, so a 4 MiB download takes about a third of a second. */
    private static final LinkImpairments HUNDRED_MBIT =
            LinkImpairments.delay(Durations.micros(100)).withBandwidth(12_500_000, 1_000_000);

    private static final String LIBERAL = "net.netfilter.nf_conntrack_tcp_be_liberal";

    private static int indexOf(List<TraceEvent> events, int from, Predicate<TraceEvent> p, String what) {
        for (int i = from; i < events.size(); i++) {
            if (p.test(events.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no " + what + " after event " + from + " in:\n" + lines(events));
    }

    private static String lines(List<TraceEvent> events) {
        StringBuilder s = new StringBuilder();
        for (TraceEvent e : events) {
            s.append(e.line()).append('\n');
        }
        return s.toString();
    }

    private static boolean tcp(Packet p, int flag) {
        return p != null && p.tcp() != null && p.tcp().has(flag);
    }

    @Test
    void theFivePacketsHappenInOrderOnKernel419() {
        Cluster cluster = BlogClusters.boom(1, KernelProfile.V4_19, Map.of(), false);
        List<TraceEvent> events = new ArrayList<>();
        cluster.addTraceListener(events::add);
        ClusterResults r = cluster.run(Durations.seconds(1));

        int injected = indexOf(events, 0, e -> e.point() == TracePoint.POD_INJECT, "boom injection");
        long boomId = events.get(injected).packetId();
        Packet boom = events.get(injected).packet();
        assertEquals(SERVER, boom.srcIp());
        assertEquals(TcpFlags.PSH | TcpFlags.ACK, boom.tcp().flags());

        // 1: the server's out-of-window segment is INVALID at the client's node, so not reverse-NATed.
        int p1 = indexOf(
                events,
                injected,
                e -> e.point() == TracePoint.NODE_ROUTE && e.where().equals("node-a") && e.packetId() == boomId,
                "boom segment at node-a");
        TraceEvent one = events.get(p1);
        assertEquals(CtState.INVALID, one.ctState());
        assertEquals("SEQ is under the lower bound (already ACKed data retransmitted)", one.reason());
        assertTrue(one.nat().contains("NAT skipped"), one.nat());
        assertEquals("ACCEPT", one.verdict());

        // 2: it reaches the client pod with the server pod's IP as source, not the ClusterIP.
        int p2 = indexOf(
                events,
                p1,
                e -> e.point() == TracePoint.POD_RECEIVE && e.packetId() == boomId,
                "boom segment at the client");
        assertEquals("client", events.get(p2).where());
        assertEquals(SERVER, events.get(p2).packet().srcIp());

        // 3: the client has no socket for it and answers with a RST to the pod IP, seq = the segment's ACK.
        int p3 = indexOf(
                events,
                p2,
                e -> e.point() == TracePoint.SOCKET && "NO_SOCKET_RST_SENT".equals(e.reason()),
                "client's no-socket verdict");
        int rstSent = indexOf(
                events, p3, e -> e.point() == TracePoint.POD_SEND && tcp(e.packet(), TcpFlags.RST), "client's RST");
        Packet rst = events.get(rstSent).packet();
        long rstId = events.get(rstSent).packetId();
        assertEquals(CLIENT, rst.srcIp());
        assertEquals(SERVER, rst.dstIp());
        assertEquals(boom.tcp().ack(), rst.tcp().seq());

        // 4: the RST matches no conntrack tuple: "invalid new" at node-a, but forwarded pod to pod.
        int p4 = indexOf(
                events,
                rstSent,
                e -> e.point() == TracePoint.NODE_ROUTE && e.where().equals("node-a") && e.packetId() == rstId,
                "RST at node-a");
        assertEquals(CtState.INVALID, events.get(p4).ctState());
        assertEquals("invalid new (not logged by this kernel)", events.get(p4).reason(), "a pr_debug on 4.19");
        assertEquals("ACCEPT", events.get(p4).verdict());

        // 5: the server accepts it (seq == RCV.NXT) and its connection closes.
        int p5 = indexOf(
                events,
                p4,
                e -> e.point() == TracePoint.SOCKET
                        && e.where().startsWith("server")
                        && "RST_ACCEPTED".equals(e.reason()),
                "server accepting the RST");
        assertEquals(rstId, events.get(p5).packetId());
        indexOf(
                events,
                p5,
                e -> e.point() == TracePoint.SOCKET
                        && e.where().startsWith("server")
                        && e.detail().endsWith("-> CLOSED"),
                "server socket closing");

        assertEquals(1, r.resets());
        assertEquals(1, r.serverResets());
        assertEquals(1, r.packetsInjected());
        assertTrue(r.invalidPerNode().get("node-a") >= 2, r.summary());
    }

    @Test
    void beLiberalKeepsTheSegmentTrackedSoItIsReverseNatedAndNothingResets() {
        Cluster cluster = BlogClusters.boom(1, KernelProfile.V4_19, Map.of(LIBERAL, "1"), false);
        List<TraceEvent> events = new ArrayList<>();
        cluster.addTraceListener(events::add);
        ClusterResults r = cluster.run(Durations.seconds(1));
        int injected = indexOf(events, 0, e -> e.point() == TracePoint.POD_INJECT, "boom injection");
        long boomId = events.get(injected).packetId();
        int atClient = indexOf(
                events,
                injected,
                e -> e.point() == TracePoint.POD_RECEIVE && e.packetId() == boomId,
                "boom segment at the client");
        assertEquals(Ip4.parse(BlogClusters.VIP), events.get(atClient).packet().srcIp(), "reverse-NATed to the VIP");
        assertEquals(0, r.resets(), r.summary());
        assertEquals(0, r.invalidTotal(), r.summary());
    }

    @Test
    void theInvalidDropRuleStopsTheSegmentBeforeTheClient() {
        Cluster cluster = BlogClusters.boom(1, KernelProfile.V4_19, Map.of(), true);
        List<TraceEvent> events = new ArrayList<>();
        cluster.addTraceListener(events::add);
        ClusterResults r = cluster.run(Durations.seconds(1));
        int injected = indexOf(events, 0, e -> e.point() == TracePoint.POD_INJECT, "boom injection");
        long boomId = events.get(injected).packetId();
        int drop = indexOf(
                events,
                injected,
                e -> e.point() == TracePoint.NODE_DROP && e.packetId() == boomId,
                "drop of the boom segment");
        TraceEvent d = events.get(drop);
        assertEquals(CtState.INVALID, d.ctState());
        assertEquals("DROP", d.verdict());
        assertTrue(events.stream().noneMatch(e -> e.point() == TracePoint.POD_RECEIVE && e.packetId() == boomId));
        assertEquals(0, r.resets(), r.summary());
        assertEquals(1, r.invalidDropped(), r.summary());
        assertEquals(1, r.connectionsEstablished());
    }

    @Test
    void kernel618IgnoresTheBelowLowerBoundBoomSegment() {
        ClusterResults r =
                BlogClusters.boom(1, KernelProfile.V6_18, Map.of(), false).run(Durations.seconds(1));
        assertEquals(0, r.resets(), r.summary());
        assertEquals(0, r.invalidTotal(), r.summary());
        assertTrue(r.ignoredPerNode().get("node-a") >= 1, r.summary());
    }

    private static ClusterResults downloadWithInjection(KernelProfile kernel, InjectionKind kind) {
        Cluster cluster = BlogClusters.twoNodes(3, kernel, Map.of(), false)
                .defaultNodeLink(HUNDRED_MBIT)
                .workload(new FileServerSpec("server", 9000, 4 << 20, true))
                .workload(new DownloadClientSpec("client", Ip4.parse(BlogClusters.VIP), 9000, 4 << 20, 1, 1, 0))
                .inject(new InjectionSpec(Durations.millis(50), "server", "client", 0, kind))
                .build();
        ClusterResults r = cluster.run(Durations.seconds(2));
        assertEquals(1, r.packetsInjected(), kind + "\n" + r.summary());
        return r;
    }

    @Test
    void aboveTheUpperBoundResetsEvenOnKernel618() {
        ClusterResults r = downloadWithInjection(KernelProfile.V6_18, InjectionKind.ABOVE_UPPER_BOUND);
        assertTrue(r.invalidPerNode().get("node-a") >= 1, r.summary());
        assertEquals(1, r.resets(), r.summary());
        assertEquals(1, r.downloadsFailed(), r.summary());
    }

    @Test
    void aBadAckIsInvalidButTheClientsRstMissesTheServersWindow() {
        // The client answers a segment that carries an ACK with RST seq = SEG.ACK (RFC 9293
        // §3.10.7.1): here an acknowledgement of data never sent, so not RCV.NXT and outside the
        // server's window. The server drops the RST (RFC 5961 §3.2) and the download survives.
        ClusterResults r = downloadWithInjection(KernelProfile.V6_18, InjectionKind.BAD_ACK);
        assertTrue(r.invalidPerNode().get("node-a") >= 1, r.summary());
        assertEquals(0, r.resets(), r.summary());
        assertEquals(1, r.downloadsCompleted(), r.summary());
    }

    @Test
    void belowTheLowerBoundInjectionResetsOn419Only() {
        ClusterResults old = downloadWithInjection(KernelProfile.V4_19, InjectionKind.BELOW_LOWER_BOUND);
        assertEquals(1, old.resets(), old.summary());
        assertEquals(0, old.downloadsCompleted(), old.summary());
        ClusterResults current = downloadWithInjection(KernelProfile.V6_18, InjectionKind.BELOW_LOWER_BOUND);
        assertEquals(0, current.resets(), current.summary());
        assertEquals(1, current.downloadsCompleted(), current.summary());
        assertTrue(current.ignoredPerNode().get("node-a") >= 1, current.summary());
    }
}
