/**
 * Plain packet data: IPv4 headers with TCP, UDP or ICMP payloads, as immutable records.
 *
 * <p>This package owns the vocabulary every other package speaks: {@link io.kpsim.packet.Packet},
 * {@link io.kpsim.packet.Ip4}, {@link io.kpsim.packet.TcpFlags}, {@link io.kpsim.packet.TcpOptions}.
 * It depends on nothing else in kpsim and knows nothing of conntrack, hooks, pcap or time.
 * Sequence and acknowledgement numbers are Java {@code int}s compared with serial arithmetic
 * (RFC 1982), exactly as the kernel's {@code before()}/{@code after()} do.
 */
package io.kpsim.packet;
