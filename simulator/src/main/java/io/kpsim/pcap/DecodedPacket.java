package io.kpsim.pcap;

import io.kpsim.packet.Packet;

/**
 * The outcome of decoding one frame: a {@link Packet}, or the reason it was skipped.
 *
 * <p>Checksum validity is reported, not enforced: the kernel verifies layer-4 checksums only when
 * {@code net.netfilter.nf_conntrack_checksum} is 1 (and only in PREROUTING, see
 * {@code nf_conntrack_tcp_packet()}/{@code tcp_error()}), and captures taken on a sending host see
 * checksums the NIC has not filled in yet. Callers decide.
 *
 * @param packet the decoded packet, or {@code null} when skipped
 * @param skipped why the frame was not decoded (e.g. {@code not IPv4 (ethertype 0x86dd)}), or {@code null}
 * @param ipChecksumValid whether the IPv4 header checksum is correct
 * @param l4ChecksumValid whether the TCP/UDP/ICMP checksum is correct; {@code true} when it could not
 *        be checked (see {@code l4ChecksumChecked}), when UDP sent none, and for other protocols
 * @param l4ChecksumChecked whether the whole layer-4 datagram was present to check its checksum
 *        (false for a frame cut short by the capture's snap length)
 */
public record DecodedPacket(Packet packet, String skipped, boolean ipChecksumValid,
                            boolean l4ChecksumValid, boolean l4ChecksumChecked) {

    /** A skipped frame. */
    public static DecodedPacket skip(String reason) {
        return new DecodedPacket(null, reason, false, false, false);
    }

    /** Whether the frame was skipped instead of decoded. */
    public boolean isSkipped() {
        return packet == null;
    }

    /** Whether both checksums are valid (what {@code nf_conntrack_checksum=1} would require). */
    public boolean checksumsValid() {
        return ipChecksumValid && l4ChecksumValid;
    }
}
