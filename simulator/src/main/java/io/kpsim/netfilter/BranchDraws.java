package io.kpsim.netfilter;

/**
 * The random draws rules make, answered by a tracer instead of the node's seeded stream: the
 * 31-bit draw of {@code -m statistic --mode random} ({@code statistic_mt()} in
 * {@code net/netfilter/xt_statistic.c} compares {@code get_random_u32() & 0x7FFFFFFF} with the
 * stored threshold) and {@code numgen random}'s ({@link RandomChoice}). A tracer that follows every
 * branch answers each draw with the branch it is exploring and multiplies the branch probabilities
 * ({@link PacketTracer}).
 */
public interface BranchDraws extends RandomChoice {

    /**
     * Whether this statistic draw falls below {@code threshold}, which happens with probability
     * {@code threshold / 2^31}.
     */
    boolean below31(int threshold);
}
