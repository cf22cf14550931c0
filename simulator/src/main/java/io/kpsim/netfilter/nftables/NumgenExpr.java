package io.kpsim.netfilter.nftables;

/**
 * {@code numgen random mod N [offset M]} and {@code numgen inc mod N [offset M]}
 * ({@code net/netfilter/nft_numgen.c}). {@code random} is
 * {@code reciprocal_scale(get_random_u32(), N) + M}, drawn through the node's
 * {@link io.kpsim.netfilter.RandomChoice} (its seeded stream, or a tracer that follows every
 * value); {@code inc} counts 0, 1, ..., N-1, 0, ... per rule ({@code nft_ng_inc_gen()}, the
 * counter starting at N-1).
 *
 * @param random {@code random} (else {@code inc})
 * @param modulus N
 * @param offset M
 */
public record NumgenExpr(boolean random, int modulus, int offset) implements Expr {

    /** Validates. */
    public NumgenExpr {
        if (modulus <= 0) {
            throw new IllegalArgumentException("numgen mod " + modulus + " must be positive");
        }
    }

    @Override
    public KeyType type() {
        return KeyType.of(DataType.INTEGER);
    }

    @Override
    public void print(StringBuilder out) {
        out.append("numgen ").append(random ? "random" : "inc").append(" mod ").append(modulus);
        if (offset != 0) {
            out.append(" offset ").append(offset);
        }
    }

    @Override
    public Datum eval(EvalContext ctx) {
        int n = random ? ctx.random(modulus, this) : ctx.increment(this);
        return Datum.hostOrder((n + (long) offset) & 0xffffffffL, 4);
    }
}
