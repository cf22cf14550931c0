package io.kpsim.cluster;

import io.kpsim.netfilter.PathResult;
import io.kpsim.packet.Packet;

/**
 * What NAT did to a packet at a node, kept as the few values the words are made of and formatted
 * when read ({@link TraceText}). A node's ROUTE or DROP event carries it as its {@code nat}; it
 * holds the packet as it arrived and as it left instead of the whole {@link PathResult} (the hook
 * steps, the conntrack result and their suppliers), so an event a listener keeps for a while (the
 * HTML report's ring of recent events) keeps a few dozen bytes alive, not the walk.
 *
 * @param skipped why the reverse NAT was skipped (e.g. "no NAT: INVALID"), or {@code null}
 * @param in the packet as it arrived
 * @param out the packet as it left
 * @param dnat whether the destination was rewritten
 * @param snat whether the source was rewritten
 * @param reverseNat whether a reply was rewritten back (the reverse NAT)
 */
record NatWords(String skipped, Packet in, Packet out, boolean dnat, boolean snat, boolean reverseNat)
        implements TraceText {

    /** The NAT words of {@code r}, or {@code null} when NAT did nothing. */
    static NatWords of(PathResult r) {
        return r.natSkipped() == null && !r.dnat() && !r.snat() && !r.reverseNat()
                ? null
                : new NatWords(r.natSkipped(), r.in(), r.out(), r.dnat(), r.snat(), r.reverseNat());
    }

    @Override
    public String text() {
        if (skipped != null) {
            return skipped;
        }
        StringBuilder s = new StringBuilder();
        if (dnat) {
            s.append("DNAT ").append(in.destination()).append(" -> ").append(out.destination());
        }
        if (snat) {
            s.append(s.length() > 0 ? ", " : "")
                    .append("SNAT ")
                    .append(in.source())
                    .append(" -> ")
                    .append(out.source());
        }
        if (reverseNat) {
            s.append(s.length() > 0 ? ", " : "")
                    .append("reverse NAT ")
                    .append(in.source())
                    .append(" > ")
                    .append(in.destination())
                    .append(" -> ")
                    .append(out.source())
                    .append(" > ")
                    .append(out.destination());
        }
        return s.length() == 0 ? null : s.toString();
    }
}
