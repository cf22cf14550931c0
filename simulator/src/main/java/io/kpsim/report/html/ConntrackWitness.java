package io.kpsim.report.html;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.packet.Packet;

/**
 * Where the report gets the conntrack entries behind a node's verdict. Today's trace carries the
 * verdict (ctstate and the kernel's words) but not the entry, so {@link #NONE} answers nothing and
 * the page says so; a trace that records the entry fills the packet panel's before/after tables
 * and the window plot's {@code td_end}, {@code td_maxend} and lower-bound lines without any other
 * change.
 *
 * <p>What an implementation must give, for a {@code NODE_ROUTE} or {@code NODE_DROP} event of a
 * TCP packet: the entry the packet's tuple matched in either direction at that node (also when the
 * packet was INVALID: the entry it was judged against), as it was before {@code nf_conntrack_in()}
 * and after the node was done with the packet; both tuples, the TCP state, and for each direction
 * {@code td_end}, {@code td_maxend}, {@code td_maxwin} and {@code td_scale}. It is called from the
 * simulation loop for every node event the recorder keeps, so it must be cheap and must not change
 * the model (a lookup that reaps expired entries would).
 */
@FunctionalInterface
public interface ConntrackWitness {

    /** A witness for traces without conntrack entries. */
    ConntrackWitness NONE = (event, arrived) -> null;

    /**
     * The entry before and after {@code nodeEvent}'s packet, or {@code null} when not known.
     *
     * @param nodeEvent the node's {@code NODE_ROUTE} or {@code NODE_DROP} event (its packet is as
     *                  it left the node, after NAT)
     * @param arrived the packet as it arrived at the node: the tuple conntrack looked up
     */
    CtChange at(TraceEvent nodeEvent, Packet arrived);
}
