package io.kpsim.engine;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * One scenario seed, split into an independent random stream per named component.
 *
 * <p>A stream's seed depends only on the root seed and the component's name (a 64-bit FNV-1a hash
 * of its UTF-8 bytes, mixed with the root seed by SplitMix64's finaliser), never on how many
 * streams were created before it or in which order. So adding a link to a scenario does not
 * change the initial sequence numbers of an unrelated pod. Streams are
 * {@link SplittableRandom}s, whose outputs for distinct seeds are statistically independent.
 *
 * <pre>{@code
 * RandomStreams root = new RandomStreams(seed);
 * SplittableRandom link = root.stream("link:node-a->node-b");
 * }</pre>
 */
public final class RandomStreams {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final long seed;

    /** The streams of scenario seed {@code seed}. */
    public RandomStreams(long seed) {
        this.seed = seed;
    }

    /** The root seed. */
    public long seed() {
        return seed;
    }

    /** A fresh stream for {@code name}; the same name always yields the same sequence. */
    public SplittableRandom stream(String name) {
        return new SplittableRandom(seedFor(name));
    }

    /** The streams of a sub-component: {@code child("node-a").stream("x")} is stream "node-a/x". */
    public RandomStreams child(String name) {
        return new RandomStreams(seedFor(name + "/"));
    }

    /** The 64-bit seed of stream {@code name}. */
    public long seedFor(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("random stream name is empty");
        }
        long h = FNV_OFFSET;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return mix(seed ^ mix(h));
    }

    /** SplitMix64's finaliser (Steele, Lea, Flood 2014), a bijection with full avalanche. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
