package io.kpsim.cluster;

import io.kpsim.packet.Packet;

/**
 * Hears a packet arrive at a node before the node's hooks see it (before {@code nf_conntrack_in()}
 * at PREROUTING), so a report can read the node's conntrack entry as it was for that packet; the
 * node's {@link TracePoint#NODE_ROUTE} or {@link TracePoint#NODE_DROP} event for the same packet
 * follows before anything else happens. A {@link TraceListener} that also implements this
 * interface is called here too; like trace events, nothing is called when nobody listens.
 */
@FunctionalInterface
public interface NodeArrivalListener {

    /**
     * Called synchronously from the simulation loop; must not change the model (read the node's
     * conntrack through {@link io.kpsim.conntrack.EntryView}, which neither reaps nor counts).
     *
     * @param node the node the packet arrives at
     * @param packetId the packet's id
     * @param packet the packet as it arrives (the tuple conntrack will look up)
     * @param nowNanos simulated time
     */
    void arriving(Node node, long packetId, Packet packet, long nowNanos);
}
