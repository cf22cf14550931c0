/**
 * A node's netfilter: the five hooks, the raw/mangle/nat/filter tables with their chains and
 * rules as iptables evaluates them ({@code ipt_do_table()}), NAT as {@code nf_nat_core.c} does it
 * (only packets with a conntrack are NATed), kube-proxy's iptables rules with its chain-name
 * hashes, and {@code iptables-save}/{@code iptables-restore} text in both dialects.
 *
 * <p>Depends on {@code conntrack} and {@code packet} only; knows nothing of pods, YAML, pcap or
 * the command line. {@link io.kpsim.netfilter.NodeDatapath} is the entry point: one node's
 * conntrack, rules, addresses and routes, walking a packet through the hooks.
 */
package io.kpsim.netfilter;
