package io.kpsim.replay;

import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.Tuple;
import io.kpsim.netfilter.PathResult;
import io.kpsim.packet.Packet;

/**
 * One replayed record with what the text output and {@code kpsim diagnose} need besides the
 * {@link ReplayRecord}: the capture timestamp, the packet as it arrived, the node's full result,
 * the connection the packet belongs to and where its endpoint came from. The NAT note is derived
 * on demand, so the JSON Lines output pays nothing for it.
 *
 * @param record the result in DESIGN.md's fields
 * @param timestampNanos the record's capture timestamp
 * @param packet the decoded packet as it arrived, or {@code null} when the record was skipped
 * @param path what the node did with the packet, or {@code null} when the record was skipped
 * @param connection the ORIGINAL tuple of the conntrack entry the packet's tuple matches in either
 *        direction (after the packet), {@code null} when none does (or the record was skipped)
 * @param side which of that entry's tuples the packet matched, {@code null} without an entry
 * @param endpoint where the connection's endpoint came from, for a packet that made the choice
 */
public record ReplayStep(
        ReplayRecord record,
        long timestampNanos,
        Packet packet,
        PathResult path,
        Tuple connection,
        CtDir side,
        EndpointChoice endpoint) {

    /** A record that was not replayed. */
    static ReplayStep skipped(ReplayRecord record, long timestampNanos) {
        return new ReplayStep(record, timestampNanos, null, null, null, null, EndpointChoice.NONE);
    }

    /**
     * What NAT did or why it was skipped, e.g. {@code DNAT}, {@code reverse NAT},
     * {@code no NAT: INVALID}; empty when nothing applied or the record was skipped.
     */
    public String natNote() {
        return appendNatNote(new StringBuilder()).toString();
    }

    /** Appends {@link #natNote()} to {@code s} (nothing when it is empty) and returns {@code s}. */
    StringBuilder appendNatNote(StringBuilder s) {
        if (path == null) {
            return s;
        }
        if (path.natSkipped() != null) {
            return s.append(path.natSkipped());
        }
        StringBuilder parts = s;
        int start = s.length();
        if (path.dnat()) {
            part(parts, start)
                    .append(
                            switch (endpoint) {
                                case CAPTURE -> "DNAT (endpoint from the capture)";
                                case SEED -> "DNAT (endpoint from the seed)";
                                case NONE -> "DNAT";
                            });
        }
        if (path.snat()) {
            part(parts, start).append("SNAT");
        }
        if (path.reverseNat()) {
            part(parts, start).append("reverse NAT");
        }
        if (path.innerNat()) {
            part(parts, start).append("inner header NAT");
        }
        if (!path.accepted() && path.dropReason() != null) {
            part(parts, start).append("dropped by ").append(path.dropReason());
        }
        return parts;
    }

    /** {@code parts}, with the comma that separates a further part from what was appended after {@code start}. */
    private static StringBuilder part(StringBuilder parts, int start) {
        return parts.length() == start ? parts : parts.append(", ");
    }
}
