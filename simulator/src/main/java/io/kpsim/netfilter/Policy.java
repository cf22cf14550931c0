package io.kpsim.netfilter;

/**
 * The policy of a built-in chain: the verdict when a packet falls off its end or RETURNs from
 * it ({@code iptables -P}; the underflow entry of {@code ipt_do_table()}).
 */
public enum Policy {
    /** {@code NF_ACCEPT}. */
    ACCEPT,
    /** {@code NF_DROP}. */
    DROP
}
