package io.kpsim.netfilter.nftables;

/**
 * {@code expr & value}, {@code expr | value}, {@code expr ^ value} on a mark
 * ({@code nft_bitwise_eval()}, which computes {@code (reg & mask) ^ xor}): the left side of
 * {@code meta mark & 0x00004000 == 0x00000000} and the value of
 * {@code meta mark set meta mark | 0x00004000}. {@code and}, {@code or}, {@code xor} are read as
 * {@code &}, {@code |}, {@code ^}, as nft prints them.
 *
 * @param left the mark expression
 * @param op the operator
 * @param operand the constant
 */
public record BitwiseExpr(Expr left, Op op, Datum operand) implements Expr {

    /** The operators. */
    public enum Op {
        /** {@code &}. */
        AND("&"),
        /** {@code |}. */
        OR("|"),
        /** {@code ^}. */
        XOR("^");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        /** As printed. */
        public String symbol() {
            return symbol;
        }
    }

    @Override
    public KeyType type() {
        return left.type();
    }

    @Override
    public void print(StringBuilder out) {
        left.print(out);
        out.append(' ').append(op.symbol()).append(' ').append(left.dataType().format(operand));
    }

    @Override
    public Datum eval(EvalContext ctx) {
        Datum v = left.eval(ctx);
        if (v == null) {
            return null;
        }
        byte[] b = v.toByteArray();
        for (int i = 0; i < b.length; i++) {
            int o = operand.at(i);
            b[i] = (byte)
                    switch (op) {
                        case AND -> b[i] & o;
                        case OR -> b[i] | o;
                        case XOR -> b[i] ^ o;
                    };
        }
        return Datum.wrap(b);
    }
}
