package io.kpsim.netfilter.nftables;

/**
 * A verdict statement: {@code accept}, {@code drop}, {@code continue}, {@code return},
 * {@code jump chain}, {@code goto chain} ({@code nft_immediate_eval()} into the verdict register).
 *
 * @param verdict the verdict
 */
public record VerdictStmt(Verdict verdict) implements Statement {

    @Override
    public void print(StringBuilder out, NftFamily family) {
        out.append(verdict);
    }

    @Override
    public int execute(EvalContext ctx) {
        ctx.verdict(verdict);
        return VERDICT;
    }
}
