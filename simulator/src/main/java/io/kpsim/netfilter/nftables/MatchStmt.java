package io.kpsim.netfilter.nftables;

/**
 * {@code left [!=] right}: a comparison, prefix or range test, flag test or set lookup
 * ({@code nft_cmp_eval()}, {@code nft_range_eval()}, {@code nft_lookup_eval()}). If the left side
 * cannot load, the rule ends whatever the operator.
 *
 * @param left what is tested
 * @param negated {@code !=} (for a set: not a member)
 * @param right what it is tested against
 */
public record MatchStmt(Expr left, boolean negated, Rhs right) implements Statement {

    @Override
    public void print(StringBuilder out, NftFamily family) {
        left.print(out);
        if (negated) {
            out.append(" !=");
        } else if (left instanceof BitwiseExpr) {
            out.append(" ==");
        }
        out.append(' ');
        right.print(out, left.type());
    }

    @Override
    public int execute(EvalContext ctx) {
        Datum v = left.eval(ctx);
        if (v == null) {
            return BREAK;
        }
        return matches(v, ctx) != negated ? NEXT : BREAK;
    }

    private boolean matches(Datum v, EvalContext ctx) {
        if (right instanceof Rhs.Value r) {
            return v.equals(r.value());
        }
        if (right instanceof Rhs.Prefix r) {
            return r.contains(v);
        }
        if (right instanceof Rhs.Range r) {
            DataType t = left.dataType();
            return Keys.numericCompare(t, v, r.low()) >= 0 && Keys.numericCompare(t, v, r.high()) <= 0;
        }
        if (right instanceof Rhs.Flags r) {
            for (int i = 0; i < v.length(); i++) {
                if ((v.at(i) & r.mask().at(i)) != 0) {
                    return true;
                }
            }
            return false;
        }
        if (right instanceof Rhs.Wildcard r) {
            byte[] name = v.toByteArray();
            byte[] prefix = r.prefix().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (prefix.length > name.length) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (name[i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }
        return ctx.lookup(((Rhs.Lookup) right).set(), v) != null;
    }

    @Override
    public boolean isMatch() {
        return true;
    }
}
