package io.kpsim.report;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.conntrack.CtState;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the path of the out-of-window segment and the path of the RST that answered it into the
 * blog's five steps, with the kernel's words (from {@code tcp_in_window()} and
 * {@code tcp_new()}), the endpoint numbers behind the window check ({@link EndpointViews}), and
 * the RFC 9293 rules the two TCP stacks applied.
 */
final class StoryTeller {

    private final EndpointViews views;
    private final SeqNumbers numbers;

    StoryTeller(EndpointViews views, SeqNumbers numbers) {
        this.views = views;
        this.numbers = numbers;
    }

    ResetStory tell(List<TraceEvent> segment, List<TraceEvent> rst) {
        int route = lastIndex(segment, TracePoint.NODE_ROUTE);
        int delivered = lastIndex(segment, TracePoint.POD_RECEIVE);
        TraceEvent escape = segment.get(route);
        TraceEvent arrival = segment.get(delivered);
        TraceEvent first = segment.get(0);
        int rstDelivered = lastIndex(rst, TracePoint.POD_RECEIVE);
        TraceEvent rstArrival = rst.get(rstDelivered);
        TraceEvent rstFirst = rst.get(0);
        TraceEvent rstAtClientNode = firstAt(rst, TracePoint.NODE_ROUTE, escape.where());

        String clientPod = arrival.where();
        String serverPod = PacketPaths.podOf(first);
        String node = escape.where();
        // Delivered to the node's own stack (its name, never a pod's): through INPUT, kubernetes issue 117924.
        boolean host = clientPod.equals(node);
        Packet seg = arrival.packet();
        Packet sent = first.packet();
        EndpointViews.View client = views.of(seg.dstIp(), seg.dstPort());
        String service = client == null ? "the service" : Ip4.format(client.peerIp, client.peerPort);
        TraceEvent firstInvalid = firstInvalid(segment, escape);
        String firstNode = firstInvalid.where();
        String reason = firstInvalid.reason() == null ? "(no reason given)" : firstInvalid.reason();

        List<StoryStep> steps = new ArrayList<>(5);
        List<String> f1 = new ArrayList<>();
        f1.add(serverPod + " sends " + numbers.summary(first));
        f1.add("conntrack on " + firstNode + " finds it out of window: INVALID, \"" + reason + "\"");
        f1.add("kernel log (nf_conntrack_log_invalid=6): nf_ct_proto_6: " + reason + " SRC=" + Ip4.format(seg.srcIp())
                + " DST=" + Ip4.format(seg.dstIp()) + " PROTO=TCP SPT=" + seg.srcPort() + " DPT=" + seg.dstPort()
                + " SEQ=" + Integer.toUnsignedLong(seg.tcp().seq()) + " ACK="
                + Integer.toUnsignedLong(seg.tcp().ack())
                + " WINDOW=" + seg.tcp().window() + " RES=0x00 "
                + logFlags(seg.tcp().flags()) + "URGP=0");
        EndpointViews.View server = views.of(sent.srcIp(), sent.srcPort(), sent.dstIp(), sent.dstPort());
        WindowWords.explain(reason, seg.tcp(), clientPod, client, server, numbers.bases(seg))
                .ifPresent(f1::add);
        for (TraceEvent e : segment) {
            if (e.point() == TracePoint.NODE_ROUTE || e.point() == TracePoint.NODE_DROP) {
                f1.add("at " + e.where() + ": " + crossing(e, e == firstInvalid));
            }
        }
        steps.add(new StoryStep(
                1,
                first.timeNanos(),
                "the server's segment is out of window: conntrack on " + firstNode + " marks it INVALID"
                        + (firstNode.equals(node) ? "" : ", and again on " + node),
                f1,
                hops(segment, 0, route)));

        List<String> f2 = new ArrayList<>();
        f2.add(node + ": " + HopText.nat(escape) + " (an INVALID packet has no conntrack entry, so the reverse"
                + " DNAT that would turn " + Ip4.format(seg.srcIp(), seg.srcPort()) + " back into " + service
                + " never runs)");
        if (host) {
            f2.add(Ip4.format(seg.dstIp()) + " is " + node + "'s own address (the one a NAT gave the connection): the"
                    + " un-NATed segment goes from PREROUTING to INPUT, not FORWARD, so an INVALID drop on the forward"
                    + " path (iptables kube-proxy's KUBE-FORWARD, nftables 1.29's forward chain) never sees it"
                    + " (kubernetes issue 117924)");
            f2.add(node + "'s own TCP stack has no socket on " + Ip4.format(seg.dstIp(), seg.dstPort())
                    + ": that port exists only in the conntrack entry, which the INVALID segment did not use");
        } else {
            f2.add(clientPod + " sees source " + Ip4.format(seg.srcIp(), seg.srcPort()) + "; its socket "
                    + Ip4.format(seg.dstIp(), seg.dstPort()) + " is connected to " + service);
        }
        steps.add(new StoryStep(
                2,
                escape.timeNanos(),
                host
                        ? "NAT skipped: it is addressed to " + node + " itself, and reaches it through INPUT with the"
                                + " pod IP " + Ip4.format(seg.srcIp()) + " as source"
                        : "NAT skipped: it reaches pod " + clientPod + " with the pod IP " + Ip4.format(seg.srcIp())
                                + " as source, not " + service,
                f2,
                hops(segment, route, delivered + 1)));

        List<String> f3 = new ArrayList<>();
        f3.add("no socket of " + clientPod + " matches " + Ip4.format(seg.dstIp(), seg.dstPort()) + " <-> "
                + Ip4.format(seg.srcIp(), seg.srcPort()) + ": RFC 9293 §3.10.7.1 (CLOSED: no matching socket)"
                + " answers a segment with a RST, seq = the segment's ACK");
        f3.add(clientPod + " sends " + numbers.summary(rstFirst));
        List<String> h3 = hops(segment, delivered + 1, segment.size());
        h3.add(HopText.line(rstFirst, numbers));
        steps.add(new StoryStep(
                3,
                arrival.timeNanos(),
                clientPod + " has no socket for it and answers with a RST to the pod IP " + Ip4.format(seg.srcIp()),
                f3,
                h3));

        List<String> f4 = new ArrayList<>();
        String rstState = rstAtClientNode == null ? "not seen" : state(rstAtClientNode);
        f4.add("conntrack on " + node + ": " + rstState + " (the RST's tuple matches neither tuple of the"
                + " connection's entry, and a RST cannot start a new one)");
        if (rstAtClientNode != null) {
            f4.add(node + ": " + HopText.nat(rstAtClientNode) + "; " + rstAtClientNode.detail()
                    + (host
                            ? ": a packet the node sends itself is not forwarded"
                            : ": pod-to-pod routing needs no NAT"));
        }
        steps.add(new StoryStep(
                4,
                rstFirst.timeNanos(),
                "the RST is " + rstState + " at " + node
                        + (host ? " and leaves it through OUTPUT" : " but forwarded pod-to-pod"),
                f4,
                hops(rst, 1, rstDelivered)));

        List<String> f5 = new ArrayList<>();
        Packet r = rstArrival.packet();
        f5.add(serverPod + " receives the RST with seq "
                + SeqNumbers.of(
                        Integer.toUnsignedLong(r.tcp().seq()), numbers.bases(r).seqBase())
                + ", exactly its RCV.NXT: RFC 9293 §3.10.7.4 and RFC 5961 §3.2 accept it and reset the connection");
        f5.add(serverPod + "'s application sees \"Connection reset by peer\"; "
                + (host ? "the client" : clientPod) + " only learns it when its next segment to "
                + (host ? "the connection's address" : service) + " is answered with a RST");
        steps.add(new StoryStep(
                5,
                rstArrival.timeNanos(),
                serverPod + " accepts the RST (sequence exactly at" + " RCV.NXT) and closes the connection",
                f5,
                hops(rst, rstDelivered, rst.size())));
        // The story's node is the client's, where the reverse NAT was skipped: its words go with it.
        String escapeReason = escape.reason() == null ? reason : escape.reason();
        return new ResetStory(
                rstArrival.timeNanos(), clientPod, serverPod, node, escapeReason, steps, null, numbers.relative());
    }

    /** The TCP flags as {@code nf_log_dump_tcp_header()} prints them: {@code ACK PSH }. */
    static String logFlags(int flags) {
        StringBuilder s = new StringBuilder();
        int[] bits = {
            TcpFlags.CWR,
            TcpFlags.ECE,
            TcpFlags.URG,
            TcpFlags.ACK,
            TcpFlags.PSH,
            TcpFlags.RST,
            TcpFlags.SYN,
            TcpFlags.FIN
        };
        String[] names = {"CWR", "ECE", "URG", "ACK", "PSH", "RST", "SYN", "FIN"};
        for (int i = 0; i < bits.length; i++) {
            if ((flags & bits[i]) != 0) {
                s.append(names[i]).append(' ');
            }
        }
        return s.toString();
    }

    private static String state(TraceEvent e) {
        CtState s = e.ctState();
        if (s == null) {
            return "untracked";
        }
        return s == CtState.INVALID && e.reason() != null ? "INVALID (\"" + e.reason() + "\")" : s.name();
    }

    /** The first node verdict on {@code path} that was INVALID, else {@code fallback}. */
    private static TraceEvent firstInvalid(List<TraceEvent> path, TraceEvent fallback) {
        for (TraceEvent e : path) {
            if ((e.point() == TracePoint.NODE_ROUTE || e.point() == TracePoint.NODE_DROP)
                    && e.ctState() == CtState.INVALID) {
                return e;
            }
        }
        return fallback;
    }

    /** What one node did with the segment: its conntrack verdict, NAT, and where the packet went. */
    private static String crossing(TraceEvent e, boolean first) {
        String verdict = state(e);
        if (e.ctState() == CtState.INVALID && !first) {
            verdict = "INVALID again (each node's conntrack judges it against its own entry)";
        }
        String then = e.point() == TracePoint.NODE_DROP ? "dropped (" + e.detail() + ")" : "routed " + e.detail();
        String nat = HopText.nat(e);
        if (nat.startsWith("INVALID: ")) {
            nat = nat.substring("INVALID: ".length());
        }
        return verdict + "; " + nat + "; " + then;
    }

    private List<String> hops(List<TraceEvent> path, int from, int to) {
        List<String> lines = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String line = HopText.line(path.get(i), numbers);
            if (line != null) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static int lastIndex(List<TraceEvent> path, TracePoint point) {
        for (int i = path.size() - 1; i >= 0; i--) {
            if (path.get(i).point() == point) {
                return i;
            }
        }
        throw new IllegalStateException("path has no " + point + ": " + path);
    }

    private static TraceEvent firstAt(List<TraceEvent> path, TracePoint point, String where) {
        for (TraceEvent e : path) {
            if (e.point() == point && e.where().equals(where)) {
                return e;
            }
        }
        return null;
    }
}
