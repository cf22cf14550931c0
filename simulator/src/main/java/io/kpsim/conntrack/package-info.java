/**
 * Connection tracking as Linux does it ({@code net/netfilter/nf_conntrack_*.c}), for the kernel
 * of the 2019 Kubernetes reports (4.19) and today's (6.18).
 *
 * <p>{@link io.kpsim.conntrack.Conntrack} is {@code nf_conntrack_in()} and
 * {@code __nf_conntrack_confirm()} for one namespace; {@link io.kpsim.conntrack.Sysctls} holds the
 * {@code net.netfilter.nf_conntrack_*} settings by their real names. Inside: the TCP state table
 * ({@code TcpConntrackTable}), {@code tcp_in_window()} ({@code TcpWindow}), RST validation
 * ({@code TcpRst}), ignored packets ({@code TcpIgnored}), the TCP, UDP, ICMP and generic trackers,
 * early drop, and the packed entry store that keeps the established-packet path allocation-free.
 * This package depends only on {@code io.kpsim.packet}; it knows nothing of hooks, NAT rules,
 * YAML or topology.
 */
package io.kpsim.conntrack;
