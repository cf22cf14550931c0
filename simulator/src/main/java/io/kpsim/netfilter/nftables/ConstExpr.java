package io.kpsim.netfilter.nftables;

/**
 * A constant ({@code nft_immediate} loading data): the value of {@code meta mark set 0x4000}.
 *
 * @param dataType its type
 * @param value its bytes
 */
public record ConstExpr(DataType dataType, Datum value) implements Expr {

    @Override
    public KeyType type() {
        return KeyType.of(dataType);
    }

    @Override
    public void print(StringBuilder out) {
        out.append(dataType.format(value));
    }

    @Override
    public Datum eval(EvalContext ctx) {
        return value;
    }
}
