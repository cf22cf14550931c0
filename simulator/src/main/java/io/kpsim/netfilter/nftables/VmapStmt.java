package io.kpsim.netfilter.nftables;

/**
 * {@code key vmap @map} / {@code key vmap { k : verdict, ... }}: the verdict of the element
 * matching the key ({@code nft_lookup_eval()} into the verdict register); no element, no
 * verdict, and the rule ends ({@code NFT_BREAK}).
 *
 * @param key the looked-up expression
 * @param map the verdict map
 */
public record VmapStmt(Expr key, SetRef map) implements Statement {

    @Override
    public void print(StringBuilder out, NftFamily family) {
        key.print(out);
        out.append(" vmap ");
        map.print(out);
    }

    @Override
    public int execute(EvalContext ctx) {
        Datum k = key.eval(ctx);
        if (k == null) {
            return BREAK;
        }
        SetElement e = ctx.lookup(map, k);
        if (e == null) {
            return BREAK;
        }
        ctx.verdict(e.verdict());
        return VERDICT;
    }
}
