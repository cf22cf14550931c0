package io.kpsim.netfilter;

/**
 * {@code enum nf_nat_manip_type}: which half of a tuple a NAT binding rewrites. SNAT and
 * MASQUERADE are SRC manips, DNAT is a DST manip ({@code include/net/netfilter/nf_nat.h}).
 */
public enum NatManip {
    /** {@code NF_NAT_MANIP_SRC}: the source address and port. */
    SRC,
    /** {@code NF_NAT_MANIP_DST}: the destination address and port. */
    DST;

    /** The other manip ({@code !manip} in {@code nf_nat_icmp_reply_translation()}). */
    public NatManip opposite() {
        return this == SRC ? DST : SRC;
    }
}
