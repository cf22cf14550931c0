package io.kpsim.conntrack;

/**
 * {@code enum ip_conntrack_status} bits kpsim keeps per entry
 * ({@code include/uapi/linux/netfilter/nf_conntrack_common.h}).
 */
public final class Status {

    /** {@code IPS_EXPECTED}. */
    public static final int EXPECTED = 1;
    /** {@code IPS_SEEN_REPLY}: a packet was seen in the reply direction. */
    public static final int SEEN_REPLY = 1 << 1;
    /** {@code IPS_ASSURED}: never early-dropped. */
    public static final int ASSURED = 1 << 2;
    /** {@code IPS_CONFIRMED}: in the table. */
    public static final int CONFIRMED = 1 << 3;
    /** {@code IPS_SRC_NAT}: the original direction's source is rewritten. */
    public static final int SRC_NAT = 1 << 4;
    /** {@code IPS_DST_NAT}: the original direction's destination is rewritten. */
    public static final int DST_NAT = 1 << 5;
    /** {@code IPS_SRC_NAT_DONE}: the source manip has been set up. */
    public static final int SRC_NAT_DONE = 1 << 7;
    /** {@code IPS_DST_NAT_DONE}: the destination manip has been set up. */
    public static final int DST_NAT_DONE = 1 << 8;
    /** {@code IPS_DYING}. */
    public static final int DYING = 1 << 9;
    /** {@code IPS_FIXED_TIMEOUT}: {@code __nf_ct_refresh_acct()} leaves the timeout alone. */
    public static final int FIXED_TIMEOUT = 1 << 10;
    /**
     * {@code IPS_NAT_CLASH} (the {@code IPS_UNTRACKED} bit, reused since 5.6): a losing UDP entry
     * inserted in the reply direction only by {@code nf_ct_resolve_clash_harder()}.
     */
    public static final int NAT_CLASH = 1 << 12;
    /** {@code IPS_NAT_MASK}: {@code SRC_NAT | DST_NAT}. */
    public static final int NAT_MASK = SRC_NAT | DST_NAT;
    /** {@code IPS_NAT_DONE_MASK}: {@code SRC_NAT_DONE | DST_NAT_DONE}. */
    public static final int NAT_DONE_MASK = SRC_NAT_DONE | DST_NAT_DONE;

    private Status() {}
}
