package io.kpsim.netfilter;

/**
 * The random choices rules make ({@code numgen random}, {@code -m statistic --mode random}),
 * behind one interface so that a node draws them from its seeded stream while a tracer can
 * instead follow every branch with its probability.
 */
public interface RandomChoice {

    /**
     * A number in {@code [0, modulus)}: {@code reciprocal_scale(get_random_u32(), modulus)} as
     * {@code nft_ng_random_gen()} computes it.
     *
     * @param where who asks (for a tracer's report), e.g. the rule's text
     */
    int below(int modulus, String where);
}
