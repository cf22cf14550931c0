package io.kpsim.property;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The random choices a {@link StatefulSpec} draws a chain from. One source is made from one chain
 * seed and consumed in a fixed order, so the seed alone gives back the chain: the same config, the
 * same steps, the same values.
 *
 * <p>Wraps {@link SplittableRandom} (SplitMix64): a seed gives the same chain for the same kpsim
 * code on the same JDK. Uniform choices only: where an edge value matters (0, a type's minimum, a
 * window of 1), the spec lists it among the choices, so the spec says why it is there.
 */
public final class Source {

    private final SplittableRandom random;

    Source(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A value in {@code [min, max]}, both included. */
    public int between(int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException("empty range [" + min + ", " + max + "]");
        }
        return (int) random.nextLong(min, (long) max + 1);
    }

    /** True or false, even odds. */
    public boolean bool() {
        return random.nextBoolean();
    }

    /** True once in {@code n} draws on average. */
    public boolean oneIn(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("oneIn(" + n + ")");
        }
        return random.nextInt(n) == 0;
    }

    /** Any long (hash seeds, ISNs). */
    public long anyLong() {
        return random.nextLong();
    }

    /** One of {@code values}, each equally likely (e.g. an enum's {@code values()}). */
    public <T> T pick(T[] values) {
        return values[index(values.length)];
    }

    /** One of {@code values}, each equally likely. */
    public <T> T pick(List<T> values) {
        return values.get(index(values.size()));
    }

    /** One of {@code values}, each equally likely. */
    public int pickInt(int... values) {
        return values[index(values.length)];
    }

    /** One of {@code values}, each equally likely. */
    public long pickLong(long... values) {
        return values[index(values.length)];
    }

    /**
     * An index into {@code weights}, chosen with probability proportional to its weight: {@code
     * weighted(8, 1, 1)} is 0 four times in five.
     */
    public int weighted(int... weights) {
        int total = 0;
        for (int w : weights) {
            if (w < 0) {
                throw new IllegalArgumentException("negative weight " + w);
            }
            total = Math.addExact(total, w);
        }
        int roll = index(total);
        for (int i = 0; i < weights.length; i++) {
            roll -= weights[i];
            if (roll < 0) {
                return i;
            }
        }
        throw new AssertionError("unreachable: roll below the total weight " + total);
    }

    private int index(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("nothing to choose from");
        }
        return random.nextInt(size);
    }
}
