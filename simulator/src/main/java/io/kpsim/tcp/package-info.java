/**
 * Endpoint TCP: a per-host {@link io.kpsim.tcp.TcpStack} with sockets that behave like Linux's
 * (RFC 9293 state machine, RFC 5961 RST and SYN handling with challenge ACKs, RFC 6298
 * retransmission timer, RFC 5681/6582 NewReno congestion control, RFC 2018/2883 SACK and D-SACK,
 * RFC 7323 window scaling, a receive buffer drained at the application's read rate).
 *
 * <p>It exists for the Kubernetes connection-reset story: when a reply arrives from a pod IP the
 * client never talked to, no socket matches, the client's stack answers with a RST
 * (RFC 9293 §3.10.7.1) and the server accepts it because its sequence number is exactly
 * RCV.NXT (RFC 5961 §3.2). Every decision is reported to a {@link io.kpsim.tcp.SocketObserver}
 * with the rule that made it, so the trace can say why.
 *
 * <p>Works purely on {@link io.kpsim.packet.Packet} records; data is a byte count, never bytes.
 * Depends only on {@code io.kpsim.engine} (time, timers, random streams) and
 * {@code io.kpsim.packet}; knows nothing of conntrack, netfilter, pods or links.
 */
package io.kpsim.tcp;
