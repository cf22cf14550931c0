/**
 * pcap and pcapng files, and the codec between wire bytes and {@link io.kpsim.packet.Packet}.
 *
 * <p>The only package that imports pcap4j. pcap4j (libpcap through JNA) opens, reads and writes
 * capture files; every byte of a frame is encoded and decoded here in plain Java on arrays, so the
 * replay hot path never builds pcap4j's per-field packet objects.
 *
 * <ul>
 *   <li>{@link io.kpsim.pcap.Ipv4Encoder} / {@link io.kpsim.pcap.Ipv4Decoder}: IPv4 + TCP/UDP/ICMP
 *       with real checksums and Linux's TCP option layout.</li>
 *   <li>{@link io.kpsim.pcap.LinkType} / {@link io.kpsim.pcap.LinkLayer}: Ethernet (with 802.1Q),
 *       raw IPv4, Linux cooked v1 and v2 framing.</li>
 *   <li>{@link io.kpsim.pcap.PcapReader} / {@link io.kpsim.pcap.PcapWriter}: files, with
 *       nanosecond timestamps and one-line {@link io.kpsim.pcap.CaptureException} errors.</li>
 * </ul>
 */
package io.kpsim.pcap;
