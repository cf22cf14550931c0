package io.kpsim.conntrack;

/**
 * The seeded hash of a packed tuple: {@link ConnTable}'s counterpart of the kernel's
 * {@code hash_conntrack_raw()}, which runs {@code siphash()} over the tuple with the per-boot random
 * key {@code nf_conntrack_hash_rnd}.
 *
 * <p>Why seeded: the kernel moved from an unkeyed-in-practice {@code jhash2} to a keyed
 * {@code siphash} so that a remote sender who chooses ports and addresses cannot pile its tuples
 * into one bucket and turn every lookup into a linear scan. An open-addressing table is even more
 * exposed than chained buckets: keys that share a home slot form one probe cluster that every
 * lookup near it walks. Here each key word is XORed with its own 64-bit secret, the high word is
 * spread by an odd multiplier (the 64-bit golden ratio) and added to the low word, and the sum
 * goes through the SplitMix64 finaliser (a bijection with full avalanche):
 *
 * <pre>
 *   hash = fmix64((keyHigh ^ seedHigh) * GOLDEN + (keyLow ^ seedLow))
 * </pre>
 *
 * Keys that differ in a few bits of either word differ in many bits of the sum (the multiplier is
 * odd, so it is a bijection too), and the finaliser spreads those into the top bits that pick the
 * home slot. With both seeds zero ("unseeded") anyone can compute, for any chosen {@code keyLow},
 * the {@code keyHigh} that gives a chosen hash ({@link #unseededPreimageHigh}: invert the
 * finaliser, subtract, multiply by the multiplier's inverse); the adversarial test and benchmark do
 * exactly that. With secret seeds the same keys land wherever the secret sends them. This is a
 * fast mixer, not a PRF: it resists crafted tuples from a sender who does not know the seed, which
 * is the threat the kernel's switch answered, not an attacker who can time lookups to recover the
 * key.
 *
 * <p>Why this shape: a lookup at a million connections waits about 200 ns for its cache line, so
 * its speed is how many lookups the core keeps in flight, which its reorder window bounds by
 * instructions. One multiply-add and one finaliser (two multiplies) cost about a dozen
 * instructions, where a finaliser per word cost twenty, and measurably raised the lookups in flight.
 */
public final class TupleHash {

    /** 2^64 / phi, odd: Fibonacci hashing's multiplier. */
    private static final long GOLDEN = 0x9e3779b97f4a7c15L;
    private static final long GOLDEN_INVERSE = inverseOdd(GOLDEN);
    private static final long FMIX_C1 = 0xbf58476d1ce4e5b9L;
    private static final long FMIX_C2 = 0x94d049bb133111ebL;
    private static final long FMIX_C1_INVERSE = inverseOdd(FMIX_C1);
    private static final long FMIX_C2_INVERSE = inverseOdd(FMIX_C2);

    private TupleHash() {
    }

    /**
     * The 64-bit seeded hash of a packed tuple; callers take its top bits as the home slot (the
     * kernel's {@code reciprocal_scale(hash, hsize)} takes the top bits of {@code hash * hsize}).
     *
     * @param keyHigh {@link ConnTable#keyHigh} of the tuple
     * @param keyLow {@link ConnTable#keyLow} of the tuple
     * @param seedHigh secret mixed into {@code keyHigh}
     * @param seedLow secret mixed into {@code keyLow}
     * @return the hash
     */
    public static long hash(long keyHigh, long keyLow, long seedHigh, long seedLow) {
        return fmix64((keyHigh ^ seedHigh) * GOLDEN + (keyLow ^ seedLow));
    }

    /**
     * The {@code keyHigh} that, with {@code keyLow}, gives {@code hash} under the unseeded hash
     * ({@code hash(result, keyLow, 0, 0) == hash}): how cheaply collisions are made against an
     * unseeded table, for the adversarial test and benchmark.
     *
     * @param hash the hash wanted
     * @param keyLow the low word chosen
     * @return the high word that completes the collision
     */
    public static long unseededPreimageHigh(long hash, long keyLow) {
        return (unfmix64(hash) - keyLow) * GOLDEN_INVERSE;
    }

    /**
     * SplitMix64's finaliser (Stafford's "Mix13"), as Agrona's {@code Hashing.hash(long)}: every
     * input bit flips each output bit with probability close to one half.
     *
     * @param x input
     * @return mixed value; a bijection of {@code x}
     */
    public static long fmix64(long x) {
        x = (x ^ (x >>> 30)) * FMIX_C1;
        x = (x ^ (x >>> 27)) * FMIX_C2;
        return x ^ (x >>> 31);
    }

    /**
     * The inverse of {@link #fmix64}: {@code unfmix64(fmix64(x)) == x}. It exists for
     * {@link #unseededPreimageHigh}.
     *
     * @param y an output of {@link #fmix64}
     * @return the input that produced it
     */
    public static long unfmix64(long y) {
        y = y ^ (y >>> 31) ^ (y >>> 62);
        y *= FMIX_C2_INVERSE;
        y = y ^ (y >>> 27) ^ (y >>> 54);
        y *= FMIX_C1_INVERSE;
        return y ^ (y >>> 30) ^ (y >>> 60);
    }

    /** Multiplicative inverse of an odd number modulo 2^64 by Newton's iteration (5 doublings). */
    private static long inverseOdd(long a) {
        long x = a; // correct to 3 bits for any odd a
        for (int i = 0; i < 5; i++) {
            x *= 2 - a * x;
        }
        return x;
    }
}
