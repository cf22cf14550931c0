/**
 * nftables as a node runs it: {@code nft list ruleset} and {@code nft -f} text read into an
 * immutable model ({@link io.kpsim.netfilter.nftables.NftParser}, {@link
 * io.kpsim.netfilter.nftables.NftRuleset}), printed back byte for byte as nft 1.0.6 lists it
 * ({@link io.kpsim.netfilter.nftables.NftPrinter}), and loaded into an {@link
 * io.kpsim.netfilter.nftables.NftEngine} whose base chains are {@link io.kpsim.netfilter.HookProgram}s
 * the node's datapath runs by priority next to its iptables tables, with the kernel's
 * {@code nft_do_chain()} semantics.
 *
 * <p>The vocabulary is what kube-proxy's nftables mode (1.29 to 1.34) and common CNIs write; the
 * rest is refused with {@code FILE:LINE:COLUMN: what}. Same layer as {@code netfilter}: uses its
 * hook, skb and NAT core, and {@code conntrack} and {@code packet}; nothing above.
 */
package io.kpsim.netfilter.nftables;
