package io.kpsim.scenario;

/**
 * What is wrong with a forged segment, named after the {@code tcp_in_window()} check it fails
 * (see {@code reference/kernel-conntrack.md} and {@code net/netfilter/nf_conntrack_proto_tcp.c}).
 * Each kind says what an explicit {@code offset} is measured from; without one the model places
 * the segment twice the receiver's receive-buffer limit plus 100,000 bytes away, clear of any
 * window the receiver can advertise, so the check fails on every kernel that checks it.
 */
public enum InjectionKind {
    /**
     * Data starting {@code offset} bytes beyond the end of the receiver's advertised window
     * ({@code td_maxend}): "SEQ is over the upper bound (over the window of the receiver)".
     * INVALID on 4.19; on 6.1+ only when the offset exceeds the receiver's largest window.
     */
    ABOVE_UPPER_BOUND("aboveUpperBound"),
    /**
     * Data starting {@code offset} bytes below the sender's next sequence number, as the blog's
     * spurious retransmission and the boom-server's packet: "SEQ is under the lower bound (already
     * ACKed data retransmitted)" once it ends more than the receiver's largest window below.
     * INVALID on 4.19; ignored (still NATed) since 6.1.
     */
    BELOW_LOWER_BOUND("belowLowerBound"),
    /**
     * A segment acknowledging {@code offset} bytes beyond what the peer has sent: "ACK is over the
     * upper bound (ACKed data not seen yet)". INVALID on every kernel.
     */
    BAD_ACK("badAck");

    private final String yamlName;

    InjectionKind(String yamlName) {
        this.yamlName = yamlName;
    }

    /** The word used in YAML, e.g. {@code aboveUpperBound}. */
    public String yamlName() {
        return yamlName;
    }

    @Override
    public String toString() {
        return yamlName;
    }
}
