package io.kpsim.report.html;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.conntrack.CtState;
import io.kpsim.packet.Packet;
import java.util.Objects;

/**
 * Reads one node event of the trace as numbers: the conntrack verdict, and the NAT rewrite from
 * the packet as it arrived and as it left ({@code nf_nat_packet()} runs only on packets with a
 * conntrack attached, so an INVALID or UNTRACKED packet's NAT is "skipped").
 */
final class Hops {

    private Hops() {}

    /** Conntrack's verdict at a {@code NODE_ROUTE} or {@code NODE_DROP} event. */
    static CtVerdict verdict(TraceEvent e) {
        String reason = e.reason();
        if (e.point() == TracePoint.NODE_DROP && Objects.equals(reason, e.detail())) {
            reason = null; // the drop's own reason, not conntrack's words
        }
        return CtVerdict.of(e.ctState(), reason);
    }

    /**
     * Whether conntrack marked the packet of a {@code NODE_ROUTE} or {@code NODE_DROP} event INVALID
     * or ignored a failed check: {@code verdict(e).invalid() || verdict(e).ignored()}, asked of every
     * node event while no capture has started, so without making the verdict.
     */
    static boolean notAccepted(TraceEvent e) {
        CtState state = e.ctState();
        if (state == null) {
            return false;
        }
        if (state == CtState.INVALID) {
            return true;
        }
        String reason = e.reason();
        return reason != null && !(e.point() == TracePoint.NODE_DROP && Objects.equals(reason, e.detail()));
    }

    /**
     * What NAT did to a packet that arrived as {@code in} and left as {@code out}.
     *
     * @param conn the connection it belongs to (tells a reply from an original-direction packet),
     *             or {@code null}: then a rewritten source counts as SNAT
     */
    static NatRewrite nat(Packet in, Packet out, CtVerdict verdict, ConnectionBook.Conn conn) {
        Address inSrc = Address.source(in);
        Address inDst = Address.destination(in);
        Address outSrc = Address.source(out);
        Address outDst = Address.destination(out);
        NatKind kind;
        boolean src = !inSrc.equals(outSrc);
        boolean dst = !inDst.equals(outDst);
        if (verdict.state() == CtState.INVALID || verdict.state() == CtState.UNTRACKED) {
            kind = NatKind.SKIPPED;
        } else if (!src && !dst) {
            kind = NatKind.NONE;
        } else if (conn != null && !conn.fromClient(in)) {
            kind = NatKind.REVERSE;
        } else if (src && dst) {
            kind = NatKind.DNAT_AND_SNAT;
        } else {
            kind = dst ? NatKind.DNAT : NatKind.SNAT;
        }
        return new NatRewrite(kind, inSrc, inDst, outSrc, outDst);
    }
}
