package io.kpsim.netfilter.nftables;

import java.util.ArrayList;
import java.util.List;

/**
 * A concatenation {@code a . b . c}: the values loaded one after the other into consecutive
 * registers, looked up as one key ({@code ip daddr . meta l4proto . th dport}). If any part
 * cannot load, the rule ends.
 *
 * @param parts the expressions, two or more
 */
public record ConcatExpr(List<Expr> parts) implements Expr {

    /** Copies and validates. */
    public ConcatExpr {
        parts = List.copyOf(parts);
        if (parts.size() < 2) {
            throw new IllegalArgumentException("a concatenation needs two or more expressions");
        }
    }

    @Override
    public KeyType type() {
        List<DataType> fields = new ArrayList<>();
        for (Expr e : parts) {
            fields.addAll(e.type().fields());
        }
        return new KeyType(fields);
    }

    @Override
    public void print(StringBuilder out) {
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                out.append(" . ");
            }
            parts.get(i).print(out);
        }
    }

    @Override
    public Datum eval(EvalContext ctx) {
        byte[] key = new byte[type().length()];
        int offset = 0;
        for (Expr e : parts) {
            Datum d = e.eval(ctx);
            if (d == null) {
                return null;
            }
            d.copyTo(key, offset);
            offset += d.length();
        }
        return Datum.wrap(key);
    }
}
