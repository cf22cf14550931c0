package io.kpsim.netfilter.nftables;

/**
 * {@code masquerade [to :PORT[-PORT]] [random|fully-random|persistent]}
 * ({@code nft_masq_eval()} → {@code nf_nat_masquerade_ipv4()}): source NAT to the address of
 * the device the packet leaves by, ending the nat chain with the NAT core's verdict. Valid in
 * nat chains at POSTROUTING. kube-proxy's nftables mode always writes {@code fully-random}.
 *
 * @param minPort the lowest port, 0 for none
 * @param maxPort the highest port
 * @param random {@code random}
 * @param fullyRandom {@code fully-random}
 * @param persistent {@code persistent}
 */
public record MasqueradeStmt(int minPort, int maxPort, boolean random, boolean fullyRandom, boolean persistent)
        implements Statement {

    @Override
    public void print(StringBuilder out, NftFamily family) {
        out.append("masquerade");
        if (minPort != 0) {
            out.append(" to :").append(minPort);
            if (maxPort != minPort) {
                out.append('-').append(maxPort);
            }
        }
        NatFlags.print(out, random, fullyRandom, persistent);
    }

    @Override
    public int execute(EvalContext ctx) {
        boolean ok = ctx.nat().masquerade(ctx.skb(), ctx.hook(), minPort, maxPort, random || fullyRandom, ctx.trace());
        ctx.verdict(ok ? Verdict.ACCEPT : Verdict.DROP);
        return VERDICT;
    }
}
