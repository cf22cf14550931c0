package io.kpsim.scenario;

import java.util.Objects;

/**
 * One entry of {@code spec.injections}: at a given time, the pod {@code pod} sends one forged
 * segment on one of its connections, as a raw socket in the pod would (the boom-server's trick),
 * to make a chosen conntrack window check fail at a chosen moment.
 *
 * @param atNanos when the segment is sent
 * @param pod the sender (typically the server), an entry of {@code spec.pods}
 * @param connection which of the pod's connections: 0 = the first one established, in order
 * @param kind which window check the segment fails
 * @param offsetBytes how far outside the bound, 1..1GiB, measured as {@link InjectionKind} says; or
 *     {@link #AUTO_OFFSET} when the scenario gives none
 */
public record InjectionSpec(long atNanos, String pod, int connection, InjectionKind kind, long offsetBytes) {

    /** No {@code offset} given: the model places the segment clear of the receiver's largest window. */
    public static final long AUTO_OFFSET = 0;

    /** Null checks only. */
    public InjectionSpec {
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(kind, "kind");
    }
}
