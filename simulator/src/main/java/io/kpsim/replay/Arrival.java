package io.kpsim.replay;

import io.kpsim.packet.Packet;
import io.kpsim.pcap.CaptureRecord;

/**
 * One capture record on its way to the model: which way it went through the node, why it is set
 * aside, and for a received packet what the node's own copy showed. Mutable while it waits in the
 * {@link CopyMatcher}; handed to the replay once released.
 */
final class Arrival {

    final CaptureRecord record;
    Heading heading;
    /** Why the record is not replayed (for {@link Heading#SENT} and {@link Heading#ASIDE}). */
    String aside;
    /** For a received packet: what the node did, from its copy (or its copy's absence). */
    Observed observed;
    /** For a received packet: the node's copy of it, when the capture has one. */
    Packet copy;
    /** Payload bytes of a received super-packet not yet accounted for by segmented copies. */
    int uncopied;
    /** Another received packet waiting under the same copy key. */
    Arrival sameKey;
    /** Whether {@link CopyMatcher} indexed this received packet (and must take it out when it leaves). */
    boolean indexed;
    /** A received packet's keys in {@link CopyMatcher}'s indexes: its copy key and its twin key. */
    long copyKey;

    long twinKey;
    /** The key a received super-packet's next segmented copy is expected under. */
    long continuingKey;

    Arrival(CaptureRecord record) {
        this.record = record;
    }

    /** The decoded packet, or {@code null} when the record was not decoded. */
    Packet packet() {
        return record.isSkipped() ? null : record.packet();
    }

    int index() {
        return (int) record.index();
    }

    long timestampNanos() {
        return record.timestampNanos();
    }

    void setAside(Heading how, String why) {
        this.heading = how;
        this.aside = why;
    }
}
