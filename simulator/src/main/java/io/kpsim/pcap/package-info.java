/**
 * pcap and pcapng files, and the codec between wire bytes and {@link io.kpsim.packet.Packet}.
 *
 * <p>The only package that imports pcap4j. pcap4j (libpcap through JNA) writes capture files
 * ({@link io.kpsim.pcap.PcapWriter}), compiles {@code --filter} expressions
 * ({@link io.kpsim.pcap.CaptureFilter}) and opens live captures, whose records are pulled with
 * libpcap's {@code pcap_next_ex()} through a JNA direct mapping ({@link io.kpsim.pcap.PcapNextEx},
 * {@link io.kpsim.pcap.LiveInterface}). Capture files are read in plain Java
 * ({@link io.kpsim.pcap.PcapReader}): no native call per record, pcapng's per-packet direction
 * and interface kept, and libpcap (through pcap4j) the oracle a test compares every record with.
 * Every byte of a frame is encoded and decoded here in plain Java on arrays, so the replay hot
 * path never builds pcap4j's per-field packet objects, and checksums are summed only when asked for.
 *
 * <ul>
 *   <li>{@link io.kpsim.pcap.Ipv4Encoder} / {@link io.kpsim.pcap.Ipv4Decoder}: IPv4 + TCP/UDP/ICMP
 *       with real checksums and Linux's TCP option layout.</li>
 *   <li>{@link io.kpsim.pcap.LinkType} / {@link io.kpsim.pcap.LinkLayer}: Ethernet (with 802.1Q),
 *       raw IPv4, Linux cooked v1 and v2 framing.</li>
 *   <li>{@link io.kpsim.pcap.PcapReader} / {@link io.kpsim.pcap.PcapWriter}: files, with
 *       nanosecond timestamps and one-line {@link io.kpsim.pcap.CaptureException} errors.</li>
 *   <li>{@link io.kpsim.pcap.TcpFrameEncoder} / {@link io.kpsim.pcap.RecordBuffer}: the writer's
 *       fast path, a TCP frame encoded in place in the output buffer with its checksums summed from
 *       the field values, and records leaving in large writes, past the page cache where the file
 *       system allows it ({@link io.kpsim.pcap.BlockFile}).</li>
 * </ul>
 */
package io.kpsim.pcap;
