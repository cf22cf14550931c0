package io.kpsim.netfilter.nftables;

import io.kpsim.netfilter.Hook;
import io.kpsim.netfilter.NatSetup;

/**
 * {@code dnat [ip|ip6] to ADDRESS[:PORT[-PORT]] [flags]} and {@code snat ...}
 * ({@code nft_nat_eval()} in {@code net/netfilter/nft_nat.c}): loads the address (a constant, or
 * a map lookup such as {@code numgen random mod 2 map { 0 : 10.0.0.1, 1 : 10.0.0.2 }}), asks the
 * NAT core for the binding ({@code nf_nat_setup_info()}) and returns its verdict, so a NAT
 * statement ends the nat chain with accept (or drop). Valid in nat chains: DNAT at PREROUTING and
 * OUTPUT, SNAT at POSTROUTING and INPUT.
 *
 * @param source {@code snat} (else {@code dnat})
 * @param addressType {@link DataType#IPV4_ADDR} or {@link DataType#IPV6_ADDR}
 * @param address the constant address, or {@code null} with a map
 * @param mapKey the looked-up expression of a map, or {@code null}
 * @param map the map giving the address, or {@code null}
 * @param minPort the lowest port, 0 for none
 * @param maxPort the highest port
 * @param random {@code random}
 * @param fullyRandom {@code fully-random}
 * @param persistent {@code persistent}
 */
public record NatStmt(
        boolean source,
        DataType addressType,
        Datum address,
        Expr mapKey,
        SetRef map,
        int minPort,
        int maxPort,
        boolean random,
        boolean fullyRandom,
        boolean persistent)
        implements Statement {

    /** Validates. */
    public NatStmt {
        if ((address == null) == (map == null) || (map == null) != (mapKey == null)) {
            throw new IllegalArgumentException("NAT needs an address or a map");
        }
    }

    @Override
    public void print(StringBuilder out, NftFamily family) {
        out.append(source ? "snat" : "dnat");
        if (family == NftFamily.INET) {
            out.append(addressType == DataType.IPV4_ADDR ? " ip" : " ip6");
        }
        out.append(" to ");
        boolean bracket = address != null && addressType == DataType.IPV6_ADDR && minPort != 0;
        if (address != null) {
            out.append(bracket ? "[" : "").append(addressType.format(address)).append(bracket ? "]" : "");
        } else {
            mapKey.print(out);
            out.append(" map ");
            map.print(out);
        }
        if (minPort != 0) {
            out.append(':').append(minPort);
            if (maxPort != minPort) {
                out.append('-').append(maxPort);
            }
        }
        NatFlags.print(out, random, fullyRandom, persistent);
    }

    @Override
    public int execute(EvalContext ctx) {
        if (addressType != DataType.IPV4_ADDR) {
            return BREAK;
        }
        Datum a = address;
        if (a == null) {
            Datum k = mapKey.eval(ctx);
            SetElement e = k == null ? null : ctx.lookup(map, k);
            if (e == null) {
                return BREAK;
            }
            a = e.data();
        }
        int ip = (int) a.bigEndianValue();
        NatSetup nat = ctx.nat();
        Hook hook = ctx.hook();
        boolean ok = source
                ? nat.snat(ctx.skb(), hook, ip, minPort, maxPort, random || fullyRandom, ctx.trace())
                : nat.dnat(ctx.skb(), hook, ip, minPort, maxPort, ctx.trace());
        ctx.verdict(ok ? Verdict.ACCEPT : Verdict.DROP);
        return VERDICT;
    }
}
