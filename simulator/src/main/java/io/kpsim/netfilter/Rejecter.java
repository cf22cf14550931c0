package io.kpsim.netfilter;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtState;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import java.util.List;

/**
 * Sends what a reject asks for ({@code nf_send_reset()}, {@code nf_send_unreach()}): builds the
 * RST or ICMP error from the rejected packet ({@link RejectPackets}), attaches the rejected
 * packet's conntrack to it as RELATED in the other direction ({@code nf_ct_attach()}; without one
 * it is looked up like any packet the node sends), and sends it through the node's OUTPUT hook,
 * routing and POSTROUTING hook on a walk of its own ({@code ip_local_out()}): rules there may drop
 * it, and the NAT core translates it like a reply of the rejected connection, so a client that
 * sent to a Service address hears back from that address.
 *
 * <p>It runs after the rejecting program returned, before the rejected packet is dropped (and
 * with it an unconfirmed conntrack): the kernel sends from inside the reject, and the reply's NAT
 * needs the connection's bindings.
 */
final class Rejecter {

    private final Walk replies;
    private final Routing routing;

    Rejecter(Walk replies, Routing routing) {
        this.replies = replies;
        this.routing = routing;
    }

    /** Sends {@code with} for the packet in {@code skb}, rejected at {@code hook}; what left, or why nothing did. */
    RejectReply send(RejectWith with, Skb skb, Hook hook, List<TraceStep> trace, long now) {
        Packet offending = skb.packet();
        Packet reply = with.tcpReset()
                ? RejectPackets.reset(offending)
                : RejectPackets.unreachable(offending, with.icmpCode(), source(offending));
        if (reply == null) {
            String why = with.tcpReset()
                    ? "no reset for a packet that is not TCP or is a reset itself"
                    : "no ICMP error about an ICMP error or a broadcast/multicast packet";
            note(trace, hook, with + " not sent: " + why);
            return new RejectReply(with, null, null, why);
        }
        note(trace, hook, "reject sends " + reply.summary());
        int entry = skb.ctEntry();
        CtState state = skb.ctState();
        boolean attach = entry != Conntrack.NO_ENTRY && state != CtState.INVALID && state != CtState.UNTRACKED;
        replies.startReply(
                reply, attach ? entry : Conntrack.NO_ENTRY, attach ? skb.ctDir().opposite() : null, trace, now);
        if (!replies.output()) {
            return new RejectReply(with, null, null, "the reply was dropped in OUTPUT: " + replies.dropReason());
        }
        String out = routing.route(replies.out().dstIp());
        if (out == null) {
            replies.drop(null, "no route to host " + Ip4.format(replies.out().dstIp()));
            return new RejectReply(
                    with,
                    null,
                    null,
                    "no route back to " + Ip4.format(replies.out().dstIp()));
        }
        replies.skb().outInterface(out);
        replies.postrouting();
        if (!replies.accepted()) {
            return new RejectReply(with, null, null, "the reply was dropped in POSTROUTING: " + replies.dropReason());
        }
        return new RejectReply(with, replies.out(), out, null);
    }

    /**
     * {@code icmp_send()}'s source: the rejected packet's destination when it was for the node
     * ({@code RTCF_LOCAL}); for a packet the node sent, its own source; otherwise the address of the
     * device the node routes the sender by.
     */
    private int source(Packet offending) {
        if (routing.isLocal(offending.dstIp())) {
            return offending.dstIp();
        }
        if (routing.isLocal(offending.srcIp())) {
            return offending.srcIp();
        }
        String back = routing.route(offending.srcIp());
        return back == null ? 0 : routing.address(back);
    }

    private static void note(List<TraceStep> trace, Hook hook, String what) {
        if (trace != null) {
            trace.add(TraceStep.note(hook, "reject", what));
        }
    }
}
