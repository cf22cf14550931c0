package io.kpsim.netfilter.nftables;

/**
 * {@code meta mark set value} ({@code nft_meta_set_eval()}): sets {@code skb->mark} to a
 * constant, to {@code meta mark} combined with a constant ({@code meta mark set meta mark | 0x4000},
 * written {@code mark set mark or 0x4000} by kube-proxy), or to {@code ct mark}.
 *
 * @param value the new mark
 */
public record MarkSetStmt(Expr value) implements Statement {

    @Override
    public void print(StringBuilder out, NftFamily family) {
        out.append("meta mark set ");
        value.print(out);
    }

    @Override
    public int execute(EvalContext ctx) {
        Datum v = value.eval(ctx);
        if (v == null) {
            return BREAK;
        }
        ctx.setMark((int) v.hostOrderValue());
        return NEXT;
    }
}
