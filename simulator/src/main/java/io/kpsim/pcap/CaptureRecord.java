package io.kpsim.pcap;

import io.kpsim.packet.Packet;

/**
 * One record of a capture file: when it was captured, the raw frame, and what it decodes to.
 *
 * <p>The frame array is the one read from the file and is not copied; do not modify it. Records
 * compare the frame by identity.
 *
 * @param index 0-based position of the record in its file (what replay reports as {@code index})
 * @param timestampNanos capture time in nanoseconds since the Unix epoch (microsecond files are
 *        scaled by libpcap)
 * @param frame the captured link-layer bytes (shorter than the wire frame when snapped)
 * @param originalLength the frame's length on the wire
 * @param decoded the decoded packet, or why it was skipped, with checksum validity
 * @param iface the capture interface the record came from (its link type and timestamp precision)
 * @param flags the pcapng {@code epb_flags} of the record, 0 when the file has none (see {@link #direction()})
 */
public record CaptureRecord(
        long index,
        long timestampNanos,
        byte[] frame,
        int originalLength,
        DecodedPacket decoded,
        CaptureInterface iface,
        int flags) {

    /** pcapng {@code epb_flags} bits 0-1: direction not known. */
    public static final int DIRECTION_UNKNOWN = 0;
    /** pcapng {@code epb_flags} bits 0-1: inbound. */
    public static final int DIRECTION_INBOUND = 1;
    /** pcapng {@code epb_flags} bits 0-1: outbound. */
    public static final int DIRECTION_OUTBOUND = 2;

    /**
     * The direction the capture recorded ({@code epb_flags} bits 0-1, draft-ietf-opsawg-pcapng
     * section 4.3.1): {@link #DIRECTION_INBOUND}, {@link #DIRECTION_OUTBOUND} or
     * {@link #DIRECTION_UNKNOWN} (always for pcap files).
     */
    public int direction() {
        return flags & 3;
    }

    /** The link type of the record's frame. */
    public LinkType linkType() {
        return iface.linkType();
    }

    /** The decoded packet, or {@code null} when the record was skipped. */
    public Packet packet() {
        return decoded.packet();
    }

    /** Why the record was skipped, or {@code null}. */
    public String skipped() {
        return decoded.skipped();
    }

    /** Whether the record was skipped instead of decoded. */
    public boolean isSkipped() {
        return decoded.isSkipped();
    }

    /** Whether the capture's snap length cut this frame short. */
    public boolean snapped() {
        return frame.length < originalLength;
    }
}
