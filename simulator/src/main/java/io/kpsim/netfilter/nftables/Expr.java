package io.kpsim.netfilter.nftables;

/**
 * An nftables expression that loads a value for a rule to compare, look up or store: a packet
 * field ({@code ip daddr}, {@code th dport}), packet metadata ({@code meta mark}), conntrack
 * state ({@code ct state}), a route type ({@code fib daddr type}), a number generator, a constant,
 * a concatenation or a bitwise operation. Evaluating one is loading a register in
 * {@code nft_do_chain()}; an expression that cannot load its value (a TCP port of a UDP packet,
 * {@code ct status} of a packet without a conntrack) ends the rule, {@code NFT_BREAK}.
 */
public sealed interface Expr
        permits PayloadExpr, MetaExpr, CtExpr, FibExpr, NumgenExpr, ConstExpr, ConcatExpr, BitwiseExpr {

    /** The type of the loaded value. */
    KeyType type();

    /** Appends the expression as {@code nft list} prints it. */
    void print(StringBuilder out);

    /** The value for the packet in {@code ctx}, or {@code null} for {@code NFT_BREAK}. */
    Datum eval(EvalContext ctx);

    /** The single data type of a non-concatenated expression. */
    default DataType dataType() {
        return type().single();
    }

    /** The printed text. */
    default String text() {
        StringBuilder s = new StringBuilder();
        print(s);
        return s.toString();
    }
}
