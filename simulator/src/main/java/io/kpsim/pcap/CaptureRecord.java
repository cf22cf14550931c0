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
 */
public record CaptureRecord(long index, long timestampNanos, byte[] frame, int originalLength, DecodedPacket decoded) {

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
