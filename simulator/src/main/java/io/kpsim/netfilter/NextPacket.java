package io.kpsim.netfilter;

import io.kpsim.conntrack.CtState;

/**
 * What a caller gives the next packet a {@link NodeDatapath} walks, and only that packet: the
 * {@code skb->mark} it enters the hooks with and a ctstate instead of conntrack's lookup
 * ({@code kpsim trace --mark}, {@code --ctstate}), and the DNAT destination its {@code -m statistic}
 * draws are steered to (a replayed capture's own copy, {@link NodeDatapath#steerNextDnat}). Split
 * out of {@link NodeDatapath}, which walks packets; this only remembers the wishes until the next
 * walk starts and hands them to it.
 */
final class NextPacket {

    private int mark;
    private CtState state;
    private int dnatIp;
    /** The wished DNAT port, 0 for the address alone, -1 when nothing is wished. */
    private int dnatPort = -1;

    /** The next packet's mark and given ctstate ({@code null}: conntrack decides). */
    void markAndState(int newMark, CtState givenState) {
        this.mark = newMark;
        this.state = givenState;
    }

    /** The DNAT destination the next packet's draws should reach ({@code port} 0: any port). */
    void dnat(int ip, int port) {
        this.dnatIp = ip;
        this.dnatPort = port;
    }

    /** Gives the walk that just started whatever was wished, and forgets it. */
    void applyTo(Walk walk) {
        if (mark != 0 || state != null) {
            walk.skb().mark(mark);
            walk.giveState(state);
            mark = 0;
            state = null;
        }
        if (dnatPort >= 0) {
            walk.skb().steerDnat(dnatIp, dnatPort);
            dnatPort = -1;
        }
    }
}
