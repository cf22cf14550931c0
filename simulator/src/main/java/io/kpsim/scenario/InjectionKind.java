package io.kpsim.scenario;

/**
 * What is wrong with a forged segment, named after the {@code tcp_in_window()} check it fails
 * (see {@code reference/kernel-conntrack.md} and {@code net/netfilter/nf_conntrack_proto_tcp.c}).
 */
public enum InjectionKind {
    /**
     * Data starting {@code offset} bytes beyond the receiver's window end ({@code td_maxend}):
     * "SEQ is over the upper bound (over the window of the receiver)". INVALID on every kernel
     * when the overshoot exceeds the receiver's maximum window.
     */
    ABOVE_UPPER_BOUND("aboveUpperBound", 16L << 20),
    /**
     * Data starting {@code offset} bytes below the next expected sequence number, as the blog's
     * spurious retransmission and the boom-server's packet: "SEQ is under the lower bound (already
     * ACKed data retransmitted)". INVALID on 4.19; ignored (still NATed) since 6.1.
     */
    BELOW_LOWER_BOUND("belowLowerBound", 100_000),
    /**
     * A segment acknowledging {@code offset} bytes the peer never sent: "ACK is over the upper
     * bound (ACKed data not seen yet)". INVALID on every kernel.
     */
    BAD_ACK("badAck", 16L << 20);

    private final String yamlName;
    private final long defaultOffset;

    InjectionKind(String yamlName, long defaultOffset) {
        this.yamlName = yamlName;
        this.defaultOffset = defaultOffset;
    }

    /** The word used in YAML, e.g. {@code aboveUpperBound}. */
    public String yamlName() {
        return yamlName;
    }

    /** The offset used when the injection does not give one, in bytes. */
    public long defaultOffset() {
        return defaultOffset;
    }

    @Override
    public String toString() {
        return yamlName;
    }
}
