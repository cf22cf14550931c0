package io.kpsim.scenario;

/**
 * {@code spec.links[].reorder}: some packets are held back for a while, as on a congested or
 * multi-path route, so they arrive after later ones (the stale segments that conntrack may find
 * out of window). Like netem's {@code reorder}, but expressed as what happens to the late packet.
 *
 * @param probability chance in 0..1 that a packet is held back
 * @param holdForNanos how long a held packet waits on top of the link delay (positive when
 *     {@code probability > 0})
 */
public record ReorderSpec(double probability, long holdForNanos) {

    /** No reordering. */
    public static final ReorderSpec NONE = new ReorderSpec(0, 0);

    /** Whether any packet is ever held back. */
    public boolean enabled() {
        return probability > 0;
    }
}
