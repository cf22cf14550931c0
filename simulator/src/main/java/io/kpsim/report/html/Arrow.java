package io.kpsim.report.html;

import io.kpsim.packet.Packet;

/**
 * One hop of one packet: from a lane to the next, the packet as it travelled on that hop, and what
 * the lane at the head did with it. At a node lane: the conntrack verdict, the NAT rewrite and, when
 * the trace records them, the conntrack entry before and after; at a pod lane: what its TCP stack
 * did.
 *
 * @param index position in the ladder (by departure time)
 * @param packetIndex which ladder packet this hop belongs to (hops of one packet share it)
 * @param packetId the trace's packet id
 * @param from the lane it left (index into the ladder's lanes)
 * @param to the lane it reached, or would have reached when lost
 * @param departNanos when it left {@code from}
 * @param arriveNanos when it reached {@code to} (when lost: when the link lost it)
 * @param packet the packet as it travelled on this hop (after {@code from}'s NAT)
 * @param relativeSeq {@code seq} relative to the sender's initial sequence number (Wireshark's
 *                    "relative sequence number", signed), or {@link #UNKNOWN} when that side's
 *                    SYN was not seen
 * @param relativeAck {@code ack} relative to the receiver's initial sequence number, or
 *                    {@link #UNKNOWN} (also for a segment without ACK)
 * @param windowBytes the advertised window in bytes (the field shifted by the sender's window
 *                    scale once both SYNs carried the option), or -1 when the scale is unknown
 * @param end what happened at the head
 * @param verdict conntrack's verdict at a node head, else {@code null}
 * @param nat NAT at a node head, else {@code null}
 * @param conntrack the entry before and after at a node head, or {@code null} when not recorded
 * @param detail why it was dropped or lost, or what the receiving stack did; {@code null} when
 *               nothing is worth saying
 * @param action the receiving stack's action ({@code io.kpsim.tcp.SegmentAction} name, e.g.
 *               {@code NO_SOCKET_RST_SENT}) at a pod head, else {@code null}
 * @param injected whether the packet was forged (written from a raw socket, the boom server)
 */
public record Arrow(
        int index,
        int packetIndex,
        long packetId,
        int from,
        int to,
        long departNanos,
        long arriveNanos,
        Packet packet,
        long relativeSeq,
        long relativeAck,
        long windowBytes,
        HopEnd end,
        CtVerdict verdict,
        NatRewrite nat,
        CtChange conntrack,
        String detail,
        String action,
        boolean injected) {

    /** A relative number that is not known. */
    public static final long UNKNOWN = Long.MIN_VALUE;

    /** Whether the packet travels this hop without a conntrack (it was INVALID at the node it left or reaches). */
    public boolean invalid() {
        return verdict != null && verdict.invalid();
    }
}
