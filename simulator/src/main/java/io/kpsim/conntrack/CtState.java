package io.kpsim.conntrack;

/**
 * The connection state of a packet as {@code -m conntrack --ctstate} sees it
 * ({@code conntrack_mt()} in {@code net/netfilter/xt_conntrack.c}): derived from the skb's
 * {@code ctinfo}, or INVALID when no conntrack is attached, or UNTRACKED after {@code NOTRACK}.
 */
public enum CtState {
    /** {@code IP_CT_NEW}: original direction, no reply seen yet (includes loose pickups). */
    NEW,
    /** {@code IP_CT_ESTABLISHED} or {@code IP_CT_ESTABLISHED_REPLY}; also every IGNOREd packet of such a conntrack. */
    ESTABLISHED,
    /** {@code IP_CT_RELATED}: an ICMP error about a tracked flow, or an expected connection. */
    RELATED,
    /** No conntrack attached: the tracker refused the packet. Such packets are never NATed. */
    INVALID,
    /** {@code IP_CT_UNTRACKED}: the raw table's {@code NOTRACK} ran before conntrack. */
    UNTRACKED
}
