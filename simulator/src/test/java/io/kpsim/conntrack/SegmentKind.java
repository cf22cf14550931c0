package io.kpsim.conntrack;

/**
 * What a {@link ChainStep.Send} segment is, relative to its sender's state in {@link
 * ChainEndpoints}: the segments a TCP sends, and the ones conntrack must refuse or let through
 * unseen (retransmissions, out-of-window numbers, invalid flag combinations).
 */
enum SegmentKind {
    SYN,
    /** A SYN with a fresh ISN: the client reusing the port, or a server starting over. */
    SYN_NEW_ISN,
    SYNACK,
    ACK,
    DATA,
    FIN,
    RST,
    RSTACK,
    /** The sender's previous segment again. */
    RETRANSMISSION,
    /** Data far outside the receiver's window. */
    OUT_OF_WINDOW_SEQ,
    /** An ACK of data never sent, or of data long acknowledged. */
    OUT_OF_WINDOW_ACK,
    /** SYN|FIN, no flags at all, FIN without ACK, or SYN|RST. */
    BAD_FLAGS;

    /** Whether the segment's length is used (it carries data). */
    boolean carriesData() {
        return switch (this) {
            case DATA, OUT_OF_WINDOW_SEQ -> true;
            case SYN, SYN_NEW_ISN, SYNACK, ACK, FIN, RST, RSTACK, RETRANSMISSION, OUT_OF_WINDOW_ACK, BAD_FLAGS -> false;
        };
    }

    /** Whether the segment's offset is used (a new ISN, a distance out of the window, a flag set). */
    boolean usesOffset() {
        return switch (this) {
            case SYN_NEW_ISN, OUT_OF_WINDOW_SEQ, OUT_OF_WINDOW_ACK, BAD_FLAGS -> true;
            case SYN, SYNACK, ACK, DATA, FIN, RST, RSTACK, RETRANSMISSION -> false;
        };
    }

    /** Whether the segment's variant is used (SYN options, or a SACK block on data). */
    boolean usesVariant() {
        return switch (this) {
            case SYN, SYN_NEW_ISN, SYNACK, DATA -> true;
            case ACK, FIN, RST, RSTACK, RETRANSMISSION, OUT_OF_WINDOW_SEQ, OUT_OF_WINDOW_ACK, BAD_FLAGS -> false;
        };
    }
}
