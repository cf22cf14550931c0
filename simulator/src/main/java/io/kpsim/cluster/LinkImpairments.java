package io.kpsim.cluster;

import io.kpsim.engine.Durations;

/**
 * What a one-way channel does to packets, in the vocabulary of Linux {@code tc netem} and
 * {@code tbf}: a fixed propagation delay plus uniform jitter, a serialisation rate with a
 * byte-limited drop-tail queue in front of it, independent random loss and duplication, and
 * "hold-back": a packet that, with some probability, takes a detour of {@code holdBackNanos}
 * more (a delay spike, as on a congested or multi-path route) and so arrives behind packets sent
 * after it.
 *
 * <p>Jitter, like netem's, is drawn independently per packet, so jitter larger than the gap
 * between packets reorders them too.
 *
 * @param delayNanos propagation delay, at least 0
 * @param jitterNanos extra delay drawn uniformly from {@code [0, jitterNanos]}
 * @param bytesPerSecond serialisation rate; 0 means unlimited (no queue at all)
 * @param queueLimitBytes bytes the drop-tail queue holds while waiting for the wire; a packet that
 *                        would make the backlog exceed it is dropped ({@code tbf limit})
 * @param lossProbability chance a packet is lost before it is queued (netem {@code loss})
 * @param duplicateProbability chance a second copy is queued right behind it (netem {@code duplicate})
 * @param holdBackProbability chance a packet is held back by {@code holdBackNanos}
 * @param holdBackNanos how long a held-back packet is delayed beyond the others
 */
public record LinkImpairments(
        long delayNanos,
        long jitterNanos,
        long bytesPerSecond,
        long queueLimitBytes,
        double lossProbability,
        double duplicateProbability,
        double holdBackProbability,
        long holdBackNanos) {

    /** A default queue of about 1000 full-size packets, like a {@code txqueuelen} of 1000. */
    public static final long DEFAULT_QUEUE_BYTES = 1_500_000L;

    /** Validates every parameter. */
    public LinkImpairments {
        nonNegative(delayNanos, "delay");
        nonNegative(jitterNanos, "jitter");
        nonNegative(bytesPerSecond, "bandwidth");
        nonNegative(holdBackNanos, "hold-back delay");
        if (bytesPerSecond > 0 && queueLimitBytes <= 0) {
            throw new IllegalArgumentException("link queue limit " + queueLimitBytes
                    + " bytes is not positive (a rate-limited link needs a queue)");
        }
        probability(lossProbability, "loss");
        probability(duplicateProbability, "duplicate");
        probability(holdBackProbability, "hold-back");
    }

    /** A perfect wire with only a propagation delay. */
    public static LinkImpairments delay(long delayNanos) {
        return new LinkImpairments(delayNanos, 0, 0, DEFAULT_QUEUE_BYTES, 0, 0, 0, 0);
    }

    /** A pod's veth pair: 2 microseconds, nothing else. */
    public static LinkImpairments veth() {
        return delay(Durations.micros(2));
    }

    /** These impairments with another jitter. */
    public LinkImpairments withJitter(long nanos) {
        return new LinkImpairments(
                delayNanos,
                nanos,
                bytesPerSecond,
                queueLimitBytes,
                lossProbability,
                duplicateProbability,
                holdBackProbability,
                holdBackNanos);
    }

    /** These impairments with a rate limit and a drop-tail queue of {@code queueBytes}. */
    public LinkImpairments withBandwidth(long rateBytesPerSecond, long queueBytes) {
        return new LinkImpairments(
                delayNanos,
                jitterNanos,
                rateBytesPerSecond,
                queueBytes,
                lossProbability,
                duplicateProbability,
                holdBackProbability,
                holdBackNanos);
    }

    /** These impairments with another loss probability. */
    public LinkImpairments withLoss(double probability) {
        return new LinkImpairments(
                delayNanos,
                jitterNanos,
                bytesPerSecond,
                queueLimitBytes,
                probability,
                duplicateProbability,
                holdBackProbability,
                holdBackNanos);
    }

    /** These impairments with another duplication probability. */
    public LinkImpairments withDuplicate(double probability) {
        return new LinkImpairments(
                delayNanos,
                jitterNanos,
                bytesPerSecond,
                queueLimitBytes,
                lossProbability,
                probability,
                holdBackProbability,
                holdBackNanos);
    }

    /** These impairments with packets held back by {@code nanos} with {@code probability}. */
    public LinkImpairments withHoldBack(double probability, long nanos) {
        return new LinkImpairments(
                delayNanos,
                jitterNanos,
                bytesPerSecond,
                queueLimitBytes,
                lossProbability,
                duplicateProbability,
                probability,
                nanos);
    }

    private static void nonNegative(long value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException("link " + what + " " + value + " is negative");
        }
    }

    private static void probability(double p, String what) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("link " + what + " probability " + p + " is not in [0, 1]");
        }
    }
}
