package io.kpsim.replay;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.packet.Packet;

/**
 * Told of each replayed packet just before the node runs its hooks on it, with the node's conntrack
 * table: what a picture of the replay needs to read the conntrack entry the packet finds before
 * {@code nf_conntrack_in()} (the entry after it is read when the {@link ReplayStep} arrives). The
 * listener must only read the table (through {@link io.kpsim.conntrack.EntryView}), never change it,
 * so that a replay with a listener gives the same records as one without.
 */
@FunctionalInterface
public interface ReplayArrivals {

    /**
     * A packet is about to enter the node's netfilter.
     *
     * @param conntrack the node's conntrack table (one per file)
     * @param index the record's 0-based index in its file
     * @param packet the packet as it arrived
     * @param nowNanos conntrack's clock for it
     */
    void arriving(Conntrack conntrack, int index, Packet packet, long nowNanos);
}
