package io.kpsim.cluster;

/**
 * Which of {@code tcp_in_window()}'s bounds a forged segment breaks (kernel-conntrack.md §2.3,
 * {@code net/netfilter/nf_conntrack_proto_tcp.c}), computed from the two endpoints' current TCP
 * state when the injection fires. Each kind says what an explicit {@link InjectionSpec#offsetBytes()}
 * is measured from; without one ({@link InjectionSpec#AUTO_OFFSET}) the model places the segment
 * twice the receiver's receive-buffer limit plus 100,000 bytes away, clear of any window the
 * receiver can advertise, so the check fails on every kernel that checks it.
 */
public enum InjectionKind {
    /**
     * Bound I: data starting {@code offset} bytes beyond the end of the window the receiver
     * advertises ({@code RCV.NXT + RCV.WND}, conntrack's {@code td_maxend}): INVALID on 4.19 for
     * any offset, on 6.1+ only when the overshoot exceeds the receiver's largest window
     * ({@code td_maxwin}) ("SEQ is over the upper bound (over the window of the receiver)").
     */
    ABOVE_UPPER_BOUND("aboveUpperBound"),
    /**
     * Bound II: data starting {@code offset} bytes below the sender's {@code SND.NXT}, like the
     * boom server's {@code seq = ack - 100000} and the blog's spurious retransmission: INVALID on
     * 4.19, ignored (still NATed) on 6.1+, when it ends more than the receiver's largest window
     * below what the sender has sent ("SEQ is under the lower bound (already ACKed data
     * retransmitted)"); a smaller offset is an ordinary old duplicate.
     */
    BELOW_LOWER_BOUND("belowLowerBound"),
    /**
     * Bound III: an acknowledgement of {@code offset} bytes beyond the receiver's {@code SND.NXT},
     * data it never sent: INVALID on every kernel ("ACK is over the upper bound (ACKed data not
     * seen yet)").
     */
    BAD_ACK("badAck");

    private final String yamlName;

    InjectionKind(String yamlName) {
        this.yamlName = yamlName;
    }

    /** The word a scenario's {@code kind:} uses, e.g. {@code aboveUpperBound}. */
    public String yamlName() {
        return yamlName;
    }
}
