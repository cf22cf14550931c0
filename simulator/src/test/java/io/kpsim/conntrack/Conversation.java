package io.kpsim.conntrack;

/**
 * Segments in the order well-behaved endpoints send them, so that a {@link
 * ConntrackStatefulPropertyTest} chain establishes, uses and closes connections often, which random
 * segments alone rarely do.
 */
enum Conversation {
    /** SYN, SYN/ACK, ACK. */
    HANDSHAKE(
            new SegmentKind[] {SegmentKind.SYN, SegmentKind.SYNACK, SegmentKind.ACK},
            new boolean[] {false, true, false}),
    /** Data each way, each acknowledged. */
    EXCHANGE(
            new SegmentKind[] {SegmentKind.DATA, SegmentKind.ACK, SegmentKind.DATA, SegmentKind.ACK},
            new boolean[] {false, true, true, false}),
    /** FIN, ACK, FIN, ACK. */
    CLOSE(
            new SegmentKind[] {SegmentKind.FIN, SegmentKind.ACK, SegmentKind.FIN, SegmentKind.ACK},
            new boolean[] {false, true, true, false});

    private final SegmentKind[] kinds;
    private final boolean[] fromResponder;

    Conversation(SegmentKind[] kinds, boolean[] fromResponder) {
        this.kinds = kinds;
        this.fromResponder = fromResponder;
    }

    int segments() {
        return kinds.length;
    }

    SegmentKind kind(int i) {
        return kinds[i];
    }

    /** Whether segment {@code i} comes from the side that did not start the conversation. */
    boolean fromResponder(int i) {
        return fromResponder[i];
    }
}
