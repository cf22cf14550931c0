package io.kpsim.netfilter.nftables;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtState;
import io.kpsim.netfilter.Skb;

/**
 * Conntrack keys ({@code nft_ct_get_eval()} in {@code net/netfilter/nft_ct.c}): {@code ct state}
 * is a bit per {@code ctinfo} ({@code NF_CT_STATE_BIT}: established 2, related 4, new 8), or
 * {@code invalid} (1) without a conntrack, {@code untracked} (64) after {@code notrack}; it
 * always loads. {@code ct status} (the {@code IPS_*} bits) and {@code ct mark} need a conntrack:
 * without one the rule ends ({@code NFT_BREAK}), so {@code ct status != dnat} does not match an
 * untracked packet. kpsim sets no connection marks, so {@code ct mark} loads 0.
 *
 * @param key which key
 */
public record CtExpr(Key key) implements Expr {

    /** The conntrack keys kpsim reads. */
    public enum Key {
        /** {@code ct state}. */
        STATE,
        /** {@code ct status}. */
        STATUS,
        /** {@code ct mark}. */
        MARK
    }

    /** {@code NF_CT_STATE_INVALID_BIT}. */
    static final int INVALID = 1;
    /** {@code NF_CT_STATE_BIT(IP_CT_ESTABLISHED)}. */
    static final int ESTABLISHED = 1 << 1;
    /** {@code NF_CT_STATE_BIT(IP_CT_RELATED)}. */
    static final int RELATED = 1 << 2;
    /** {@code NF_CT_STATE_BIT(IP_CT_NEW)}. */
    static final int NEW = 1 << 3;
    /** {@code NF_CT_STATE_UNTRACKED_BIT}. */
    static final int UNTRACKED = 1 << 6;

    @Override
    public KeyType type() {
        return KeyType.of(
                switch (key) {
                    case STATE -> DataType.CT_STATE;
                    case STATUS -> DataType.CT_STATUS;
                    case MARK -> DataType.MARK;
                });
    }

    @Override
    public void print(StringBuilder out) {
        out.append(
                switch (key) {
                    case STATE -> "ct state";
                    case STATUS -> "ct status";
                    case MARK -> "ct mark";
                });
    }

    @Override
    public Datum eval(EvalContext ctx) {
        Skb skb = ctx.skb();
        if (key == Key.STATE) {
            return Datum.hostOrder(stateBit(skb.ctState()), 4);
        }
        if (skb.ctEntry() == Conntrack.NO_ENTRY) {
            return null;
        }
        return Datum.hostOrder(key == Key.STATUS ? skb.ctStatus() & 0xffffffffL : 0, 4);
    }

    /** The {@code ct state} bit of a packet with {@code state}. */
    static int stateBit(CtState state) {
        return switch (state) {
            case NEW -> NEW;
            case ESTABLISHED -> ESTABLISHED;
            case RELATED -> RELATED;
            case INVALID -> INVALID;
            case UNTRACKED -> UNTRACKED;
        };
    }
}
