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
        return of(r.natSkipped(), r.in(), r.out(), r.natApplied());
    }

    /**
     * The NAT words of a packet that arrived as {@code in} and left as {@code out}, NAT having done
     * {@code natApplied} ({@link PathResult#natApplied()}'s bits) or skipped it ({@code skipped}), or
     * {@code null} when NAT did nothing.
     */
    static NatWords of(String skipped, Packet in, Packet out, int natApplied) {
        boolean dnat = PathResult.dnat(natApplied);
        boolean snat = PathResult.snat(natApplied);
        boolean reverseNat = PathResult.reverseNat(natApplied);
        return skipped == null && !dnat && !snat && !reverseNat
                ? null
                : new NatWords(skipped, in, out, dnat, snat, reverseNat);
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
