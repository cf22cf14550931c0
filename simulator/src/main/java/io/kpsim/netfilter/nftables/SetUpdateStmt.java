package io.kpsim.netfilter.nftables;

/**
 * {@code update @set { key [timeout T] }} and {@code add @set { key [timeout T] }}
 * ({@code nft_dynset_eval()}): puts the packet's key into a dynamic set. {@code add} inserts only
 * a missing element; {@code update} also restarts an existing element's timeout. kube-proxy's
 * session affinity is {@code update @affinity-... { ip saddr }} in the endpoint chain and
 * {@code ip saddr @affinity-... goto endpoint-...} in the service chain.
 *
 * @param update {@code update} (else {@code add})
 * @param set the set's name
 * @param key the expression whose value is stored
 * @param timeoutMillis the element timeout, or -1 for the set's
 */
public record SetUpdateStmt(boolean update, String set, Expr key, long timeoutMillis) implements Statement {

    @Override
    public void print(StringBuilder out, NftFamily family) {
        out.append(update ? "update @" : "add @").append(set).append(" { ");
        key.print(out);
        if (timeoutMillis >= 0) {
            out.append(" timeout ").append(NftDuration.format(timeoutMillis));
        }
        out.append(" }");
    }

    @Override
    public int execute(EvalContext ctx) {
        Datum k = key.eval(ctx);
        if (k == null) {
            return BREAK;
        }
        return ctx.updateSet(this, k) ? NEXT : BREAK;
    }
}
