package io.kpsim.cluster;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtResult;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.PackedResult;
import io.kpsim.netfilter.NodeDatapath;
import io.kpsim.netfilter.PathResult;
import io.kpsim.netfilter.RejectReply;
import io.kpsim.netfilter.TraceStep;
import io.kpsim.netfilter.Walk;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes node's network namespace: its netfilter datapath (conntrack table, kube-proxy's
 * rules) and its routes. Pod traffic arrives over the pods' veths on the bridge {@code cni0} and
 * runs PREROUTING (conntrack, kube-proxy's DNAT), the routing decision on the possibly DNATed
 * destination, FORWARD (KUBE-FORWARD) and POSTROUTING (confirm). The routes are those a bridge
 * CNI with host-gateway routing installs: the node's own pod CIDR on {@code cni0}, every other
 * node's pod CIDR and address on the interface {@code eth<k>} towards node k. A packet routed to
 * {@code cni0} is bridged to the veth of the pod with its destination address.
 *
 * <p>A packet no route covers (a ClusterIP that was not DNATed because it was INVALID) is dropped
 * with the kernel's reason, as is one for an address in the pod CIDR that no pod has.
 *
 * <p>A packet for one of the node's own addresses (its IP, the bridge's gateway address) leaves
 * PREROUTING for INPUT, not FORWARD, and is delivered to the node's own TCP stack, the
 * {@link #host()} endpoint that hostNetwork pods share: a NodePort's un-NATed INVALID reply (its
 * destination is the address MASQUERADE gave the connection) lands there and is answered with a RST,
 * whatever KUBE-FORWARD drops (kubernetes issue 117924). What the host stack sends runs OUTPUT and
 * POSTROUTING ({@link NodeDatapath#send}). Its packets for its own addresses are handed straight
 * back to it, as over {@code lo}, without walking PREROUTING and INPUT again.
 */
public final class Node {

    /** The bridge pods hang off. */
    static final String BRIDGE = "cni0";

    private final NodeSpec spec;
    private final int index;
    private final Cluster cluster;
    private final NodeDatapath datapath;
    private final IntMap<Link> podVeths = new IntMap<>();
    private final Map<String, Link> uplinks = new HashMap<>();
    private Pod host;
    private Link loopback;
    /** The device {@link #next} last looked up among the uplinks, and its link: routes hand out the same name. */
    private String lastUplinkName;

    private Link lastUplink;

    long invalid;
    long ignored;
    long invalidDropped;
    long unroutable;
    long dropped;
    long forwarded;

    Node(NodeSpec spec, int index, Cluster cluster, NodeDatapath datapath) {
        this.spec = spec;
        this.index = index;
        this.cluster = cluster;
        this.datapath = datapath;
    }

    /** The interface towards node {@code k}. */
    static String uplinkName(int k) {
        return "eth" + k;
    }

    void addPodVeth(int podIp, Link nodeToPod) {
        podVeths.put(podIp, nodeToPod);
    }

    void addUplink(String iface, Link link) {
        uplinks.put(iface, link);
        lastUplinkName = null;
    }

    /** Sets the node's own network stack and the zero-delay {@code lo} that hands its packets back to it. */
    void host(Pod hostStack, Link lo) {
        this.host = hostStack;
        this.loopback = lo;
    }

    /** The node's own network stack (its hostNetwork pods' sockets live on it). */
    public Pod host() {
        return host;
    }

    /** The node's name. */
    public String name() {
        return spec.name();
    }

    /** What it was built from. */
    public NodeSpec spec() {
        return spec;
    }

    /** Its index in the cluster (its uplink on other nodes is {@code eth<index>}). */
    public int index() {
        return index;
    }

    /** Its netfilter datapath (rules, counters, {@code iptables-save}). */
    public NodeDatapath datapath() {
        return datapath;
    }

    /** Its conntrack table. */
    public Conntrack conntrack() {
        return datapath.conntrack();
    }

    /** A packet arrives on {@code inInterface}. */
    void receive(Packet packet, long packetId, int bytes, String inInterface) {
        long now = cluster.simulation().now();
        if (cluster.tracer().on()) {
            cluster.tracer().arriving(this, packetId, packet, now);
        }
        Walk w = datapath.receiveWalk(packet, inInterface, true, now);
        CtState ctState = w.ctState();
        // A packet a full table dropped has no ctstate: the kernel counts it in drop, not invalid.
        boolean isInvalid = ctState == CtState.INVALID && !w.ctTableFull();
        if (isInvalid) {
            invalid++;
        } else if (ctState != null && w.ctIgnored()) {
            ignored++;
        }
        // the verdict is read from the walk (traceWalk): no record of it per packet and node
        boolean tracing = cluster.tracer().on();
        if (tracing) {
            traceSteps(w.steps(), tracedState(w), packetId, now);
        }
        if (!w.accepted()) {
            dropped++;
            String reason = w.dropReason();
            if (isInvalid && w.decidedBy() != null) {
                invalidDropped++;
            } else if (reason != null && reason.startsWith("no route")) {
                unroutable++;
            }
            if (tracing) {
                traceWalk(TracePoint.NODE_DROP, w, packet, packetId, now, reason);
            }
            sendRejectReply(w.rejected());
            return;
        }
        Packet out = w.out();
        String iface = w.outInterface();
        if (iface == null && host != null) {
            forwarded++;
            if (tracing) {
                traceWalk(TracePoint.NODE_ROUTE, w, packet, packetId, now, (TraceText) () -> deliveredWords(out));
            }
            host.receive(out, packetId, bytes);
            return;
        }
        Link next = next(iface, out);
        if (next == null) {
            dropped++;
            unroutable++;
            if (tracing) {
                String why = iface == null
                        ? "delivered to the node itself: no socket listens there"
                        : "no pod with address " + Ip4.format(out.dstIp()) + " on " + iface;
                traceWalk(TracePoint.NODE_DROP, w, packet, packetId, now, why);
            }
            return;
        }
        forwarded++;
        if (tracing) {
            traceWalk(TracePoint.NODE_ROUTE, w, packet, packetId, now, next.routeWords(iface));
        }
        next.send(out, packetId, bytes);
    }

    /** The link a packet leaving by {@code iface} takes: a pod's veth on the bridge, else an uplink. */
    private Link next(String iface, Packet out) {
        if (iface == null) {
            return null;
        }
        if (BRIDGE.equals(iface)) {
            return podVeths.get(out.dstIp());
        }
        if (iface != lastUplinkName) { // the same String as last time (the route's): no hash, no compare
            lastUplink = uplinks.get(iface);
            lastUplinkName = iface;
        }
        return lastUplink;
    }

    /**
     * A REJECT's ICMP error or TCP reset leaves the node toward the sender ({@code nf_send_unreach()}
     * / {@code nf_send_reset()} route it like a locally generated packet); one with nowhere to go is
     * lost.
     */
    private void sendRejectReply(RejectReply reply) {
        if (reply == null || reply.sent() == null) {
            return;
        }
        Link link = next(reply.outInterface(), reply.sent());
        if (link != null) {
            link.send(reply.sent(), cluster.nextPacketId());
        }
    }

    /** A local delivery's words: which hook it took, and that FORWARD's rules never saw it. */
    private String deliveredWords(Packet out) {
        return "to " + name() + " itself (" + Ip4.format(out.dstIp())
                + " is local): INPUT, not FORWARD, so KUBE-FORWARD's rules do not apply";
    }

    /**
     * The host stack sends {@code packet}: OUTPUT, routing, POSTROUTING, then out of the device the
     * route chose ({@code lo} hands it back to the host stack).
     */
    void sendFromHost(Packet packet, long packetId) {
        long now = cluster.simulation().now();
        int bytes = packet.totalLength();
        PathResult r = datapath.send(packet, now);
        boolean tracing = cluster.tracer().on();
        if (tracing) {
            cluster.tracer().arriving(this, packetId, packet, now);
            traceSteps(r.trace(), r.ct() != null ? r.ct().state() : null, packetId, now);
        }
        if (!r.accepted()) {
            dropped++;
            if (r.ct() != null && r.ct().state() == CtState.INVALID) {
                invalid++;
            }
            if (tracing) {
                traceResult(TracePoint.NODE_DROP, r, r.trace(), packetId, now, r.dropReason());
            }
            return;
        }
        if (r.ct() != null && r.ct().state() == CtState.INVALID) {
            invalid++;
        }
        Packet out = r.out();
        String iface = r.outInterface();
        Link next = "lo".equals(iface) ? loopback : next(iface, out);
        if (next == null) {
            dropped++;
            unroutable++;
            if (tracing) {
                traceResult(
                        TracePoint.NODE_DROP,
                        r,
                        r.trace(),
                        packetId,
                        now,
                        "no pod with address " + Ip4.format(out.dstIp()) + " on " + iface);
            }
            return;
        }
        forwarded++;
        if (tracing) {
            Link via = next;
            traceResult(TracePoint.NODE_ROUTE, r, r.trace(), packetId, now, (TraceText)
                    () -> "sent by " + name() + " itself (OUTPUT, not FORWARD), out " + iface + " to " + via.name());
        }
        next.send(out, packetId, bytes);
    }

    /**
     * Emits {@code steps}, the walk's netfilter steps of one packet, as the node's HOOK events, if a
     * listener takes them (a {@link HookStepsListener} reads them from the node's verdict instead).
     */
    private void traceSteps(List<TraceStep> steps, CtState state, long packetId, long now) {
        if (!cluster.tracer().wants(TracePoint.NODE_HOOK)) {
            return;
        }
        for (int i = 0; i < steps.size(); i++) { // no iterator: this runs at every node for every packet
            cluster.tracer().hook(now, packetId, name(), state, steps.get(i));
        }
    }

    /**
     * Emits the node's ROUTE or DROP event of {@code r}, with the walk's {@code steps}; {@code detail}
     * is a String or a {@link TraceText}.
     */
    private void traceResult(
            TracePoint point, PathResult r, List<TraceStep> steps, long packetId, long now, Object detail) {
        CtResult ct = r.ct();
        traceVerdict(
                point,
                packetId,
                now,
                r.out(),
                ct == null ? null : ct.state(),
                ct == null ? null : ct.reason(),
                r.dropReason(),
                NatWords.of(r), // formatted when read
                r.verdict(),
                detail,
                steps);
    }

    /** The ctstate of walk {@code w}'s conntrack verdict ({@link PathResult#ct()}'s), or {@code null}. */
    private static CtState tracedState(Walk w) {
        int ct = w.ctPacked();
        return ct == Walk.CT_NOT_SEEN ? null : PackedResult.state(ct);
    }

    /**
     * {@link #traceResult} of walk {@code w} of packet {@code in}, read from the walk itself, with its
     * steps in place: the same event as from its {@link PathResult} ({@code w.result()}), which is not
     * made (a narrated run's PathResult and CtResult per packet and node were a fifth of its allocation).
     */
    private void traceWalk(TracePoint point, Walk w, Packet in, long packetId, long now, Object detail) {
        CtState state = tracedState(w);
        traceVerdict(
                point,
                packetId,
                now,
                w.out(),
                state,
                state == null ? null : w.ctReason(),
                w.dropReason(),
                NatWords.of(w.natSkipped(), in, w.out(), w.natApplied()),
                w.accepted() ? PathResult.Verdict.ACCEPT : PathResult.Verdict.DROP,
                detail,
                w.steps());
    }

    /**
     * Hands the tracer the node's verdict on a packet that left as {@code out}: a DROP names
     * conntrack's reason when it gave one, else the walk's own {@code dropReason}.
     */
    private void traceVerdict(
            TracePoint point,
            long packetId,
            long now,
            Packet out,
            CtState state,
            String ctReason,
            String dropReason,
            NatWords nat,
            PathResult.Verdict verdict,
            Object detail,
            List<TraceStep> steps) {
        String reason = point == TracePoint.NODE_DROP && ctReason == null ? dropReason : ctReason;
        cluster.tracer().verdict(now, packetId, point, name(), out, state, reason, nat, verdict.name(), detail, steps);
    }

    @Override
    public String toString() {
        return "Node[" + name() + " " + Ip4.format(spec.ip()) + "]";
    }
}
