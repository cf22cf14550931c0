package io.kpsim.cluster;

/**
 * Which of {@code tcp_in_window()}'s bounds a forged segment breaks (kernel-conntrack.md §2.3),
 * computed from the two endpoints' current TCP state when the injection fires.
 */
public enum InjectionKind {
    /**
     * Bound I: data beyond the receiver's window by more than its largest window, so
     * {@code seq} is past {@code td_maxend} plus the 6.1+ overshoot allowance: INVALID on every
     * kernel ("SEQ is over the upper bound (over the window of the receiver)").
     */
    ABOVE_UPPER_BOUND,
    /**
     * Bound II: data that ends more than the receiver's largest window below what the sender has
     * already sent, like the boom server's segment: INVALID on 4.19, ignored on 6.1+ ("SEQ is under
     * the lower bound (already ACKed data retransmitted)").
     */
    BELOW_LOWER_BOUND,
    /**
     * Bound III: an acknowledgement of data the receiver never sent: INVALID on every kernel
     * ("ACK is over the upper bound (ACKed data not seen yet)").
     */
    BAD_ACK
}
