package io.kpsim.report;

import io.kpsim.conntrack.CtState;

/**
 * What became of one packet that conntrack did not simply accept (INVALID, or ignored by 6.1+),
 * or that a pod forged: the last node it crossed, conntrack's state and words there, what NAT
 * did, whether a rule dropped it, and how the receiving TCP stack reacted.
 *
 * @param timeNanos when the last node handled it
 * @param sender the pod that sent it
 * @param packet tcpdump summary as it left the sender
 * @param node the last node it crossed (the receiver's node)
 * @param state conntrack's state there ({@code null} if untracked)
 * @param reason conntrack's words, or {@code null}
 * @param nat what NAT did there, or {@code null} for nothing
 * @param dropped whether the node dropped it
 * @param dropDetail the rule or reason that dropped it, or {@code null}
 * @param reaction what the receiving stack did ({@code received: ...}), or {@code null}
 * @param injected whether a pod forged it (an injection or the boom server's segment)
 */
public record PacketFate(
        long timeNanos,
        String sender,
        String packet,
        String node,
        CtState state,
        String reason,
        String nat,
        boolean dropped,
        String dropDetail,
        String reaction,
        boolean injected) {

    /** This fate with the receiver's reaction. */
    PacketFate withReaction(String text) {
        return new PacketFate(timeNanos, sender, packet, node, state, reason, nat, dropped, dropDetail, text, injected);
    }

    /** Whether conntrack let it through without INVALID but with a reason (6.1+ IGNORE). */
    public boolean ignored() {
        return state != null && state != CtState.INVALID && reason != null;
    }

    /** Whether it was INVALID at its last node. */
    public boolean invalid() {
        return state == CtState.INVALID;
    }
}
