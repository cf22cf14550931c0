package io.kpsim.cluster;

import io.kpsim.engine.Durations;

/**
 * A scripted forged segment: at {@code atNanos}, pod {@code fromPod} (normally the server) writes a
 * segment on one of its connections with {@code clientPod}, addressed exactly as its own segments
 * on that connection are (source its pod IP and port, destination the client's IP and port), with
 * sequence and acknowledgement numbers chosen to break one window bound ({@link InjectionKind}).
 *
 * @param atNanos when
 * @param fromPod the pod that forges the segment
 * @param clientPod the pod at the other end of the connection
 * @param connection which of {@code fromPod}'s open connections with {@code clientPod}, in the order
 *                   they were established (0 = oldest); -1 for the newest
 * @param kind which bound to break
 * @param offsetBytes how far past the bound the segment lies, in bytes of sequence space (see
 *                    {@link InjectionKind} for what each kind measures it from), 1..2^30; or
 *                    {@link #AUTO_OFFSET} to let the model place it clear of the receiver's largest
 *                    possible window, so the check fails on every kernel
 */
public record InjectionSpec(
        long atNanos, String fromPod, String clientPod, int connection, InjectionKind kind, long offsetBytes) {

    /** {@link #offsetBytes}: placed by the model, twice the receiver's buffer limit plus 100,000 away. */
    public static final long AUTO_OFFSET = 0;
    /** The largest explicit offset: beyond half the sequence space "above" would read as "below". */
    public static final long MAX_OFFSET = 1L << 30;

    /** Validates. */
    public InjectionSpec {
        Names.check(fromPod, "injecting pod");
        Names.check(clientPod, "injection target pod");
        if (atNanos < 0 || connection < -1 || kind == null) {
            throw new IllegalArgumentException("injection at " + Durations.format(atNanos) + " from " + fromPod
                    + ": time must not be negative, connection must be >= -1, kind is required");
        }
        if (offsetBytes < 0 || offsetBytes > MAX_OFFSET) {
            throw new IllegalArgumentException("injection at " + Durations.format(atNanos) + " from " + fromPod
                    + ": offset " + offsetBytes + " is not in 1.." + MAX_OFFSET + " (or 0 for automatic)");
        }
    }

    /** An injection placed by the model ({@link #AUTO_OFFSET}). */
    public InjectionSpec(long atNanos, String fromPod, String clientPod, int connection, InjectionKind kind) {
        this(atNanos, fromPod, clientPod, connection, kind, AUTO_OFFSET);
    }
}
