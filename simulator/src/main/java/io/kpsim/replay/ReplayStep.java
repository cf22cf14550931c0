package io.kpsim.replay;

import io.kpsim.packet.Packet;

/**
 * One replayed record with what the text output needs besides the {@link ReplayRecord}: the
 * capture timestamp and the packet as it arrived.
 *
 * @param record the result in DESIGN.md's fields
 * @param timestampNanos the record's capture timestamp
 * @param packet the decoded packet as it arrived, or {@code null} when the record was skipped
 * @param natNote what NAT did or why it was skipped, e.g. {@code DNAT}, {@code reverse NAT},
 *                {@code no NAT: INVALID}; empty when nothing applied
 */
public record ReplayStep(ReplayRecord record, long timestampNanos, Packet packet, String natNote) {
}
