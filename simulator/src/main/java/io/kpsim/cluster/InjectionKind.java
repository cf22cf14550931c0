package io.kpsim.cluster;

/**
 * Which of {@code tcp_in_window()}'s bounds a forged segment breaks (kernel-conntrack.md §2.3),
 * computed from the two endpoints' current TCP state when the injection fires. Each kind says
 * what an explicit {@link InjectionSpec#offsetBytes()} is measured from.
 */
public enum InjectionKind {
    /**
     * Bound I: data starting {@code offset} bytes beyond the end of the window the receiver
     * advertises ({@code RCV.NXT + RCV.WND}, conntrack's {@code td_maxend}): INVALID on 4.19 for
     * any offset, on 6.1+ only when the overshoot exceeds the receiver's largest window
     * ({@code td_maxwin}) ("SEQ is over the upper bound (over the window of the receiver)").
     */
    ABOVE_UPPER_BOUND,
    /**
     * Bound II: data starting {@code offset} bytes below the sender's {@code SND.NXT}, like the
     * boom server's {@code seq = ack - 100000}: INVALID on 4.19, ignored on 6.1+, when it ends more
     * than the receiver's largest window below what the sender has sent ("SEQ is under the lower
     * bound (already ACKed data retransmitted)"); a smaller offset is an ordinary old duplicate.
     */
    BELOW_LOWER_BOUND,
    /**
     * Bound III: an acknowledgement of {@code offset} bytes beyond the receiver's {@code SND.NXT},
     * data it never sent: INVALID on every kernel ("ACK is over the upper bound (ACKed data not
     * seen yet)").
     */
    BAD_ACK
}
