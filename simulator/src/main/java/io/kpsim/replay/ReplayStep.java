package io.kpsim.replay;

import io.kpsim.netfilter.PathResult;
import io.kpsim.packet.Packet;
import java.util.ArrayList;
import java.util.List;

/**
 * One replayed record with what the text output needs besides the {@link ReplayRecord}: the
 * capture timestamp, the packet as it arrived and the node's full result. The NAT note is derived
 * on demand, so the JSON Lines output pays nothing for it.
 *
 * @param record the result in DESIGN.md's fields
 * @param timestampNanos the record's capture timestamp
 * @param packet the decoded packet as it arrived, or {@code null} when the record was skipped
 * @param path what the node did with the packet, or {@code null} when the record was skipped
 */
public record ReplayStep(ReplayRecord record, long timestampNanos, Packet packet, PathResult path) {

    /**
     * What NAT did or why it was skipped, e.g. {@code DNAT}, {@code reverse NAT},
     * {@code no NAT: INVALID}; empty when nothing applied or the record was skipped.
     */
    public String natNote() {
        if (path == null) {
            return "";
        }
        if (path.natSkipped() != null) {
            return path.natSkipped();
        }
        List<String> parts = new ArrayList<>(3);
        if (path.dnat()) {
            parts.add("DNAT");
        }
        if (path.snat()) {
            parts.add("SNAT");
        }
        if (path.reverseNat()) {
            parts.add("reverse NAT");
        }
        if (path.innerNat()) {
            parts.add("inner header NAT");
        }
        if (!path.accepted() && path.dropReason() != null) {
            parts.add("dropped by " + path.dropReason());
        }
        return String.join(", ", parts);
    }
}
