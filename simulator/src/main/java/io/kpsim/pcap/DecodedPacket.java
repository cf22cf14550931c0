package io.kpsim.pcap;

import io.kpsim.packet.Packet;
import java.util.Objects;

/**
 * The outcome of decoding one frame: a {@link Packet}, or the reason it was skipped.
 *
 * <p>Checksum validity is reported, not enforced: the kernel verifies layer-4 checksums only when
 * {@code net.netfilter.nf_conntrack_checksum} is 1 (and only in PREROUTING, see
 * {@code nf_conntrack_tcp_packet()}/{@code tcp_error()}), and captures taken on a sending host see
 * checksums the NIC has not filled in yet. Callers decide.
 *
 * <p>So the checksums are computed when first asked for, not while decoding: most readers never ask
 * ({@code kpsim replay} only with {@code --verify-checksums}), and summing every byte of every
 * datagram was more than half of the reader's decoding time. A decoded packet keeps a reference to the
 * frame it came from and sums the bytes on the first {@link #ipChecksumValid()} or
 * {@link #l4ChecksumValid()} call; the frame must not change in between (a {@link CaptureRecord}'s
 * frame never does). The answer is cached; concurrent first calls compute the same answer.
 *
 * <p>A layer-4 checksum that holds only the pseudo-header sum is <em>offloaded</em>, not wrong:
 * the sender's kernel left the rest to the NIC ({@code CHECKSUM_PARTIAL}: {@code tcp_v4_send_check()}
 * stores {@code ~tcp_v4_check(len, saddr, daddr, 0)}), which is what a capture taken on the sending
 * host or on a veth sees; a node receiving such an skb over a veth trusts it
 * ({@code nf_ip_checksum()} verifies only {@code CHECKSUM_NONE}/{@code CHECKSUM_COMPLETE}). So
 * {@link #l4ChecksumValid()} counts it as valid and {@link #l4ChecksumOffloaded()} says so.
 *
 * <p>Equality, hash code and string form are by the five values, as for a record.
 */
public final class DecodedPacket {

    /** An {@code l4Length} for {@link #lazy}: no layer-4 checksum to verify (reported valid). */
    static final int NO_L4_CHECKSUM = -1;

    private static final byte UNKNOWN = 0;
    private static final byte VALID = 1;
    private static final byte INVALID = 2;

    private final Packet packet;
    private final String skipped;
    private final boolean l4ChecksumChecked;
    /** The frame to sum, or {@code null} once both answers are known at construction. */
    private final byte[] bytes;

    private final int ipOffset;
    private final int ipHeaderLength;
    private final int l4Offset;
    private final int l4Length;
    private final long l4Seed;
    /** Where the layer-4 checksum field is in {@link #bytes}, or -1 when it cannot be offloaded (ICMP). */
    private final int checksumAt;

    private final boolean tcpOptionsCut;
    private boolean offloaded;
    private byte ipState;
    private byte l4State;

    /**
     * A decoded packet with known checksum validity.
     *
     * @param packet the decoded packet, or {@code null} when skipped
     * @param skipped why the frame was not decoded (e.g. {@code not IPv4 (ethertype 0x86dd)}), or {@code null}
     * @param ipChecksumValid whether the IPv4 header checksum is correct
     * @param l4ChecksumValid whether the TCP/UDP/ICMP checksum is correct (see {@link #l4ChecksumValid()})
     * @param l4ChecksumChecked whether the whole layer-4 datagram was present to check its checksum
     */
    public DecodedPacket(
            Packet packet,
            String skipped,
            boolean ipChecksumValid,
            boolean l4ChecksumValid,
            boolean l4ChecksumChecked) {
        this(
                packet,
                skipped,
                l4ChecksumChecked,
                null,
                0,
                0,
                0,
                0,
                0,
                -1,
                false,
                state(ipChecksumValid),
                state(l4ChecksumValid));
    }

    private DecodedPacket(
            Packet packet,
            String skipped,
            boolean l4ChecksumChecked,
            byte[] bytes,
            int ipOffset,
            int ipHeaderLength,
            int l4Offset,
            int l4Length,
            long l4Seed,
            int checksumAt,
            boolean tcpOptionsCut,
            byte ipState,
            byte l4State) {
        this.packet = packet;
        this.skipped = skipped;
        this.l4ChecksumChecked = l4ChecksumChecked;
        this.bytes = bytes;
        this.ipOffset = ipOffset;
        this.ipHeaderLength = ipHeaderLength;
        this.l4Offset = l4Offset;
        this.l4Length = l4Length;
        this.l4Seed = l4Seed;
        this.checksumAt = checksumAt;
        this.tcpOptionsCut = tcpOptionsCut;
        this.ipState = ipState;
        this.l4State = l4State;
    }

    /**
     * A decoded packet whose checksums are summed from {@code bytes} when asked for.
     *
     * @param ipOffset where the IPv4 header starts in {@code bytes}
     * @param ipHeaderLength its length (IHL × 4)
     * @param l4ChecksumChecked whether the whole layer-4 datagram is present
     * @param l4Offset where the checksummed layer-4 bytes start
     * @param l4Length how many bytes its checksum covers, or {@link #NO_L4_CHECKSUM}
     * @param l4Seed the pseudo-header sum ({@link InternetChecksum#pseudoHeader}), 0 for ICMP
     * @param checksumAt where the TCP or UDP checksum field is, -1 for ICMP (no pseudo-header to offload)
     * @param tcpOptionsCut whether the snap length cut the TCP options short
     */
    static DecodedPacket lazy(
            Packet packet,
            byte[] bytes,
            int ipOffset,
            int ipHeaderLength,
            boolean l4ChecksumChecked,
            int l4Offset,
            int l4Length,
            long l4Seed,
            int checksumAt,
            boolean tcpOptionsCut) {
        return new DecodedPacket(
                packet,
                null,
                l4ChecksumChecked,
                bytes,
                ipOffset,
                ipHeaderLength,
                l4Offset,
                l4Length,
                l4Seed,
                checksumAt,
                tcpOptionsCut,
                UNKNOWN,
                l4Length == NO_L4_CHECKSUM ? VALID : UNKNOWN);
    }

    /** A skipped frame. */
    public static DecodedPacket skip(String reason) {
        return new DecodedPacket(null, reason, false, false, false);
    }

    private static byte state(boolean valid) {
        return valid ? VALID : INVALID;
    }

    /** The decoded packet, or {@code null} when skipped. */
    public Packet packet() {
        return packet;
    }

    /** Why the frame was not decoded (e.g. {@code not IPv4 (ethertype 0x86dd)}), or {@code null}. */
    public String skipped() {
        return skipped;
    }

    /** Whether the frame was skipped instead of decoded. */
    public boolean isSkipped() {
        return packet == null;
    }

    /** Whether the IPv4 header checksum is correct ({@code ip_fast_csum()} gives 0); false when skipped. */
    public boolean ipChecksumValid() {
        byte s = ipState;
        if (s == UNKNOWN) {
            s = state(InternetChecksum.of(bytes, ipOffset, ipHeaderLength) == 0);
            ipState = s;
        }
        return s == VALID;
    }

    /**
     * Whether the TCP/UDP/ICMP checksum is correct; {@code true} when it could not be checked (see
     * {@link #l4ChecksumChecked()}), when UDP sent none, and for other protocols; false when skipped.
     */
    public boolean l4ChecksumValid() {
        byte s = l4State;
        if (s == UNKNOWN) {
            boolean valid = InternetChecksum.finish(InternetChecksum.add(l4Seed, bytes, l4Offset, l4Length)) == 0;
            if (!valid && checksumAt >= 0 && Bytes.getShort(bytes, checksumAt) == pseudoHeaderOnly()) {
                offloaded = true; // CHECKSUM_PARTIAL; set before l4State, so a cached answer always has it
                valid = true;
            }
            s = state(valid);
            l4State = s;
        }
        return s == VALID;
    }

    /** The folded, uncomplemented pseudo-header sum: what a {@code CHECKSUM_PARTIAL} field holds. */
    private int pseudoHeaderOnly() {
        return ~InternetChecksum.finish(l4Seed) & 0xffff;
    }

    /**
     * Whether the TCP or UDP checksum field holds only the pseudo-header sum ({@code CHECKSUM_PARTIAL}:
     * the sender left the rest to its NIC); such a checksum counts as valid. Sums the checksum on
     * first call, like {@link #l4ChecksumValid()}.
     */
    public boolean l4ChecksumOffloaded() {
        l4ChecksumValid();
        return offloaded;
    }

    /**
     * Whether the capture's snap length cut the TCP header's options short: the packet was decoded
     * with the options that fit, so a SYN may have lost its window scale (conntrack then tracks the
     * connection's windows unscaled, as it would a peer that sent none).
     */
    public boolean tcpOptionsCut() {
        return tcpOptionsCut;
    }

    /**
     * Whether the whole layer-4 datagram was present to check its checksum (false for a frame cut
     * short by the capture's snap length, for protocols kpsim has no checksum for, and when skipped).
     */
    public boolean l4ChecksumChecked() {
        return l4ChecksumChecked;
    }

    /** Whether both checksums are valid (what {@code nf_conntrack_checksum=1} would require). */
    public boolean checksumsValid() {
        return ipChecksumValid() && l4ChecksumValid();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecodedPacket d
                && Objects.equals(packet, d.packet)
                && Objects.equals(skipped, d.skipped)
                && ipChecksumValid() == d.ipChecksumValid()
                && l4ChecksumValid() == d.l4ChecksumValid()
                && l4ChecksumChecked == d.l4ChecksumChecked;
    }

    @Override
    public int hashCode() {
        return Objects.hash(packet, skipped, ipChecksumValid(), l4ChecksumValid(), l4ChecksumChecked);
    }

    @Override
    public String toString() {
        return "DecodedPacket[packet=" + packet + ", skipped=" + skipped + ", ipChecksumValid=" + ipChecksumValid()
                + ", l4ChecksumValid=" + l4ChecksumValid() + ", l4ChecksumChecked=" + l4ChecksumChecked + "]";
    }
}
