package io.kpsim.conntrack;

import static io.kpsim.conntrack.TcpSeenFlags.F_EXP_CHALLENGE_ACK;
import static io.kpsim.conntrack.TcpSeenFlags.F_SACK_PERM;
import static io.kpsim.conntrack.TcpSeenFlags.F_WINDOW_SCALE;

import io.kpsim.conntrack.profile.Kernel;
import io.kpsim.conntrack.profile.Switch;

/**
 * The {@code TCP_CONNTRACK_IGNORE} ({@code sIG}) case of {@code nf_conntrack_tcp_packet()}.
 * Conntrack may be out of sync with the endpoints, so packets that could be the real connection
 * (a SYN in ORIGINAL, a SYN/ACK in REPLY, an ACK in REPLY after a SYN) are let through with the
 * entry but without any state or timeout change, and annotated in {@code last_*}. A later SYN/ACK
 * that acknowledges an ignored SYN re-synchronises the entry from those annotations.
 */
final class TcpIgnored {

    /** The packet is ignored. */
    static final int IGNORED = 0;
    /** b) resync: continue as SYN_SENT -> SYN_RECV with the window check. */
    static final int RESYNC = 1;

    private final EntryStore s;
    /** {@link Switch#TCP_LIBERAL_KEPT}: the resync keeps BE_LIBERAL ({@code nf_ct_tcp_state_reset()}). */
    private final boolean liberalKept;
    /** {@link Switch#TCP_CHALLENGE_ACK_REUSE}: remember a challenge ACK to a SYN. */
    private final boolean challengeAckReuse;

    TcpIgnored(EntryStore store, Kernel kernel) {
        this.s = store;
        this.liberalKept = kernel.has(Switch.TCP_LIBERAL_KEPT);
        this.challengeAckReuse = kernel.has(Switch.TCP_CHALLENGE_ACK_REUSE);
    }

    /** Handles a packet the table maps to {@code sIG}; returns {@link #IGNORED} or {@link #RESYNC}. */
    int handle(int e, int dir, int index, int oldState, TcpHeaderFields h) {
        if (index == TcpConntrackTable.SYNACK_SET
                && s.lastIndex(e) == TcpConntrackTable.SYN_SET
                && s.lastDir(e) != dir
                && h.ack == s.lastEnd(e)) {
            // b) this SYN/ACK acknowledges a SYN that we earlier ignored as invalid: the client and
            // the server are in sync, we are not; get in sync from the annotated values.
            int annotated = TupleHashRef.of(e, s.lastDir(e));
            s.setTdEnd(annotated, s.lastEnd(e));
            s.setTdMaxEnd(annotated, s.lastEnd(e));
            s.setTdMaxWin(annotated, s.lastWin(e) == 0 ? 1 : s.lastWin(e));
            s.setTdScale(annotated, s.lastWscale(e));
            s.setLastFlags(e, s.lastFlags(e) & ~F_EXP_CHALLENGE_ACK);
            s.setTdFlags(annotated, s.lastFlags(e));
            s.resetSeen(TupleHashRef.of(e, dir), liberalKept);
            return RESYNC;
        }
        s.setLastIndex(e, index);
        s.setLastDir(e, dir);
        s.setLastSeq(e, h.seq);
        s.setLastEnd(e, h.end());
        s.setLastWin(e, h.window);
        if (index == TcpConntrackTable.SYN_SET && dir == 0) {
            // a) a SYN in ORIGINAL: annotate its options; if valid, the server's SYN/ACK resyncs us
            int flags = 0;
            int wscale = 0;
            if ((h.options & TcpHeaderFields.OPT_PRESENT) != 0) {
                if ((h.options & TcpHeaderFields.OPT_WSCALE) != 0) {
                    flags |= F_WINDOW_SCALE;
                    wscale = Math.min(h.options & 0xff, TcpHeaderFields.MAX_WSCALE);
                }
                if ((h.options & TcpHeaderFields.OPT_SACK_PERM) != 0) {
                    flags |= F_SACK_PERM;
                }
            }
            if (oldState == TcpState.LAST_ACK.ordinal()) {
                flags |= F_EXP_CHALLENGE_ACK; // RFC 5961 challenge ACK would look like the last ACK
            }
            s.setLastFlags(e, flags);
            s.setLastWscale(e, wscale);
        }
        if (challengeAckReuse
                && oldState == TcpState.SYN_SENT.ordinal()
                && index == TcpConntrackTable.ACK_SET
                && dir == 1) {
            s.setLastAck(e, h.ack); // possible challenge ACK reply to a SYN
        }
        return IGNORED;
    }
}
