package io.kpsim.netfilter.nftables;

/**
 * One statement of a rule: a match, a verdict map, a verdict, a counter, a mark, NAT, a reject or
 * a set update. {@code nft_do_chain()} runs a rule's expressions in order until one breaks the
 * rule ({@code NFT_BREAK}: the next rule follows) or sets a verdict.
 */
public sealed interface Statement
        permits MatchStmt,
                VmapStmt,
                VerdictStmt,
                CounterStmt,
                MarkSetStmt,
                NatStmt,
                MasqueradeStmt,
                RejectStmt,
                SetUpdateStmt {

    /** The statement is done; go on with the next one. */
    int NEXT = 0;
    /** {@code NFT_BREAK}: the rule does not apply; go on with the next rule. */
    int BREAK = 1;
    /** A verdict was set ({@link EvalContext#verdict()}). */
    int VERDICT = 2;

    /** Appends the statement as {@code nft list} prints it in a table of {@code family}. */
    void print(StringBuilder out, NftFamily family);

    /** Runs the statement on the packet in {@code ctx}: {@link #NEXT}, {@link #BREAK} or {@link #VERDICT}. */
    int execute(EvalContext ctx);

    /** Whether it only tests the packet (a match), as opposed to acting on it. */
    default boolean isMatch() {
        return false;
    }
}
