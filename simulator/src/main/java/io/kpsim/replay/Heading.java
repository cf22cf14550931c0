package io.kpsim.replay;

/**
 * Which way a captured packet went through the node: the only thing that decides whether replay
 * runs it through the model.
 *
 * <p>A node's capture holds each forwarded packet twice: as it arrived ({@code skb->pkt_type}
 * {@code PACKET_HOST} and friends, what netfilter's PREROUTING saw) and as the node sent it on
 * ({@code PACKET_OUTGOING}, after NAT). Only the first is replayed; the second is evidence of what
 * the kernel did.
 */
enum Heading {
    /** The node received it: replayed through PREROUTING, FORWARD and POSTROUTING. */
    RECEIVED,
    /** The node sent it: not replayed; when it is a copy of a received packet, that packet's {@link Observed}. */
    SENT,
    /** Not replayed for another reason (not IPv4, loopback, between two other hosts, seen twice). */
    ASIDE
}
