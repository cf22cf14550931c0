package io.kpsim.netfilter.nftables;

/**
 * {@code counter packets N bytes M} ({@code nft_counter_eval()}): counts the packets and bytes
 * (the IPv4 total length) that reach it. The numbers here are those read from the text; a
 * loaded {@link NftEngine} counts on from them.
 *
 * @param packets packets counted when read
 * @param bytes bytes counted when read
 */
public record CounterStmt(long packets, long bytes) implements Statement {

    @Override
    public void print(StringBuilder out, NftFamily family) {
        out.append("counter packets ").append(packets).append(" bytes ").append(bytes);
    }

    @Override
    public int execute(EvalContext ctx) {
        ctx.count(this);
        return NEXT;
    }
}
