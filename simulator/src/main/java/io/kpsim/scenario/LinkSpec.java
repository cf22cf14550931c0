package io.kpsim.scenario;

import java.util.Objects;

/**
 * One entry of {@code spec.links}: the impairments of the wire between two nodes, or of a pod's
 * veth, in the spirit of {@code tc qdisc ... netem} plus a {@code tbf}-like rate limit. Every
 * setting applies to each direction independently. Pairs without an entry are connected by a
 * perfect link ({@link #perfect}).
 *
 * @param a first end: a node, or for {@link LinkScope#POD_TO_NODE} the pod
 * @param b second end: a node (for {@link LinkScope#POD_TO_NODE}, the pod's node)
 * @param scope which kind of pair this is
 * @param delayNanos one-way propagation delay
 * @param jitterNanos uniform extra delay in {@code [-jitter, +jitter]} around the delay, at most
 *     {@code delayNanos}
 * @param bandwidthBitsPerSecond serialisation rate; {@link #UNLIMITED} for none
 * @param queueBytes the drop-tail queue in front of the rate limit
 * @param loss chance in 0..1 that a packet is dropped
 * @param duplicate chance in 0..1 that a packet is delivered twice
 * @param reorder held-back packets ({@link ReorderSpec#NONE} when absent)
 * @param name {@code ""} for the pair's first link; else a second wire between two nodes, the device
 *     name on both, used only by routes that name it ({@code spec.nodes[].routes[].link})
 */
public record LinkSpec(
        String a,
        String b,
        LinkScope scope,
        long delayNanos,
        long jitterNanos,
        long bandwidthBitsPerSecond,
        long queueBytes,
        double loss,
        double duplicate,
        ReorderSpec reorder,
        String name) {

    /** Marks a link without a rate limit. */
    public static final long UNLIMITED = 0;

    /** Default queue: 1000 full-size frames, like Linux's default {@code txqueuelen 1000}. */
    public static final long DEFAULT_QUEUE_BYTES = 1_500_000;

    /** Null checks only. */
    public LinkSpec {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(reorder, "reorder");
        Objects.requireNonNull(name, "name");
    }

    /** A pair's first link. */
    public LinkSpec(
            String a,
            String b,
            LinkScope scope,
            long delayNanos,
            long jitterNanos,
            long bandwidthBitsPerSecond,
            long queueBytes,
            double loss,
            double duplicate,
            ReorderSpec reorder) {
        this(a, b, scope, delayNanos, jitterNanos, bandwidthBitsPerSecond, queueBytes, loss, duplicate, reorder, "");
    }

    /** The link a pair gets when {@code spec.links} does not mention it. */
    public static LinkSpec perfect(String a, String b, LinkScope scope) {
        return new LinkSpec(a, b, scope, 0, 0, UNLIMITED, DEFAULT_QUEUE_BYTES, 0, 0, ReorderSpec.NONE);
    }

    /**
     * Component by component, as a record compares, written out: the generated {@code equals} is
     * linked through method handles on its first call ({@code ObjectMethods.bootstrap}), which for
     * ten components cost a tenth of a one-packet run's start-up. The builder compares every pod's
     * veth with {@link #perfect} once.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof LinkSpec l
                && a.equals(l.a)
                && b.equals(l.b)
                && scope == l.scope
                && delayNanos == l.delayNanos
                && jitterNanos == l.jitterNanos
                && bandwidthBitsPerSecond == l.bandwidthBitsPerSecond
                && queueBytes == l.queueBytes
                && Double.compare(loss, l.loss) == 0
                && Double.compare(duplicate, l.duplicate) == 0
                && (reorder == l.reorder || reorder.equals(l.reorder))
                && name.equals(l.name);
    }

    /** Consistent with {@link #equals}; the same in every run (an enum by its ordinal). */
    @Override
    public int hashCode() {
        return Objects.hash(
                a,
                b,
                scope.ordinal(),
                delayNanos,
                jitterNanos,
                bandwidthBitsPerSecond,
                queueBytes,
                loss,
                duplicate,
                reorder,
                name);
    }

    /** Whether this link joins {@code x} and {@code y} (in either order). */
    public boolean joins(String x, String y) {
        return (a.equals(x) && b.equals(y)) || (a.equals(y) && b.equals(x));
    }
}
