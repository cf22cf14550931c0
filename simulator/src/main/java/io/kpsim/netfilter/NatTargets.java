package io.kpsim.netfilter;

import java.util.List;

/**
 * The NAT core as the nat table's targets see it: {@code DNAT} and {@code MASQUERADE} call
 * {@code nf_nat_setup_info()} and return its verdict. Implemented by {@link NatCore}.
 */
interface NatTargets {

    /**
     * {@code xt_dnat_target_v2}: binds the connection's destination.
     *
     * @param trace where to note what happened, or {@code null}
     * @return true for NF_ACCEPT, false for NF_DROP
     */
    boolean dnat(Skb skb, DnatTarget target, Hook hook, List<TraceStep> trace);

    /** {@code masquerade_tg()}: binds the source to the outgoing interface's address. */
    boolean masquerade(Skb skb, MasqueradeTarget target, Hook hook, List<TraceStep> trace);

    /** {@code xt_snat_target_v2}: binds the connection's source. */
    boolean snat(Skb skb, SnatTarget target, Hook hook, List<TraceStep> trace);

    /** {@code nf_nat_redirect_ipv4()}: binds the destination to the node itself. */
    boolean redirect(Skb skb, RedirectTarget target, Hook hook, List<TraceStep> trace);
}
