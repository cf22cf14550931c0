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
 */
public record InjectionSpec(long atNanos, String fromPod, String clientPod, int connection, InjectionKind kind) {

    /** Validates. */
    public InjectionSpec {
        Names.check(fromPod, "injecting pod");
        Names.check(clientPod, "injection target pod");
        if (atNanos < 0 || connection < -1 || kind == null) {
            throw new IllegalArgumentException("injection at " + Durations.format(atNanos) + " from " + fromPod
                    + ": time must not be negative, connection must be >= -1, kind is required");
        }
    }
}
