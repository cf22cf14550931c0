package io.kpsim.netfilter;

import java.util.List;

/**
 * The NAT core as rule languages reach it: every NAT target or statement asks
 * {@code nf_nat_setup_info()} for one binding of the packet's connection and returns its verdict
 * ({@code nft_nat_eval()}, {@code nft_masq_eval()}, {@code xt_dnat_target_v2()}). Implemented by
 * the node's NAT core.
 */
public interface NatSetup {

    /**
     * Binds the connection's destination ({@code dnat to ip[:port]}).
     *
     * @param minPort lowest port, or 0 to keep the port
     * @param maxPort highest port (equal to {@code minPort} for one port)
     * @param trace where to note what happened, or {@code null}
     * @return true for NF_ACCEPT, false for NF_DROP
     */
    boolean dnat(Skb skb, Hook hook, int ip, int minPort, int maxPort, List<TraceStep> trace);

    /**
     * Binds the connection's source ({@code snat to ip[:port]}).
     *
     * @param randomPort draw the port at random ({@code random} or {@code fully-random}:
     *     {@code NF_NAT_RANGE_PROTO_RANDOM_ALL})
     * @return true for NF_ACCEPT, false for NF_DROP
     */
    boolean snat(Skb skb, Hook hook, int ip, int minPort, int maxPort, boolean randomPort, List<TraceStep> trace);

    /**
     * Binds the source to the outgoing device's address ({@code nf_nat_masquerade_ipv4()}).
     *
     * @param minPort lowest port of {@code masquerade to :a-b}, or 0
     * @return true for NF_ACCEPT, false for NF_DROP
     */
    boolean masquerade(Skb skb, Hook hook, int minPort, int maxPort, boolean randomPort, List<TraceStep> trace);
}
