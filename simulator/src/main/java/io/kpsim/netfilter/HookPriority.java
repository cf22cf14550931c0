package io.kpsim.netfilter;

/**
 * The IPv4 hook priorities that order the work inside one hook ({@code enum nf_ip_hook_priorities}
 * in {@code include/uapi/linux/netfilter_ipv4.h}); lower runs first. They are why conntrack sees a
 * packet after the raw table but before mangle, and why DNAT happens before the filter table.
 */
public final class HookPriority {

    /** {@code NF_IP_PRI_RAW}: the raw table ({@code NOTRACK} must precede conntrack). */
    public static final int RAW = -300;
    /** {@code NF_IP_PRI_CONNTRACK}: {@code nf_conntrack_in()} at PREROUTING and OUTPUT. */
    public static final int CONNTRACK = -200;
    /** {@code NF_IP_PRI_MANGLE}: the mangle table. */
    public static final int MANGLE = -150;
    /** {@code NF_IP_PRI_NAT_DST}: destination NAT at PREROUTING and OUTPUT. */
    public static final int NAT_DST = -100;
    /** {@code NF_IP_PRI_FILTER}: the filter table. */
    public static final int FILTER = 0;
    /** {@code NF_IP_PRI_NAT_SRC}: source NAT at POSTROUTING and INPUT. */
    public static final int NAT_SRC = 100;
    /** {@code NF_IP_PRI_CONNTRACK_CONFIRM}: {@code __nf_conntrack_confirm()}, last of all. */
    public static final int CONNTRACK_CONFIRM = Integer.MAX_VALUE;

    private HookPriority() {}
}
