package io.kpsim.cluster;

/**
 * Where on its path a {@link TraceEvent} saw a packet, from the sending pod's stack to the
 * receiving one's, or which socket-level action the TCP stack reported.
 */
public enum TracePoint {
    /** A pod's TCP stack emitted the packet onto its veth. */
    POD_SEND,
    /** A workload forged the packet and wrote it from the pod as a raw socket would. */
    POD_INJECT,
    /** The packet entered a link's queue. */
    LINK_SEND,
    /** The link's drop-tail queue was full; the packet is gone. */
    LINK_QUEUE_DROP,
    /** The link's random loss took the packet. */
    LINK_LOSS,
    /** The link made a second copy of the packet (same packet id). */
    LINK_DUPLICATE,
    /** The link held the packet back by its hold-back delay. */
    LINK_HOLD_BACK,
    /** The packet came out of the link's far end. */
    LINK_DELIVER,
    /** One netfilter hook of a node ran on the packet: conntrack state, NAT, verdict. */
    NODE_HOOK,
    /** A node routed the packet: to a local pod's veth or to another node. */
    NODE_ROUTE,
    /** A node dropped the packet: a DROP verdict, conntrack's drop, or no route. */
    NODE_DROP,
    /** The packet reached a pod's TCP stack. */
    POD_RECEIVE,
    /** The pod's TCP stack acted on a socket (observer report: reset, RST sent, state change...). */
    SOCKET
}
