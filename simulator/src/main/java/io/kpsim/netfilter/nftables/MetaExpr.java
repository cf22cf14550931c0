package io.kpsim.netfilter.nftables;

import java.nio.charset.StandardCharsets;

/**
 * Packet metadata ({@code nft_meta_get_eval()}): {@code meta l4proto}, {@code meta nfproto},
 * {@code meta mark}, {@code iifname} and {@code oifname}. A device name the packet does not have
 * yet (the output device before routing, the input device of a locally sent packet) loads as the
 * empty name, as {@code nft_meta_store_ifname()} does.
 *
 * @param key which metadata
 */
public record MetaExpr(Key key) implements Expr {

    /** The metadata keys kpsim reads. */
    public enum Key {
        /** The layer-4 protocol number. */
        L4PROTO,
        /** The protocol family ({@code ipv4}). */
        NFPROTO,
        /** {@code skb->mark}. */
        MARK,
        /** The input device's name. */
        IIFNAME,
        /** The output device's name. */
        OIFNAME
    }

    @Override
    public KeyType type() {
        return KeyType.of(
                switch (key) {
                    case L4PROTO -> DataType.INET_PROTO;
                    case NFPROTO -> DataType.NFPROTO;
                    case MARK -> DataType.MARK;
                    case IIFNAME, OIFNAME -> DataType.IFNAME;
                });
    }

    @Override
    public void print(StringBuilder out) {
        out.append(
                switch (key) {
                    case L4PROTO -> "meta l4proto";
                    case NFPROTO -> "meta nfproto";
                    case MARK -> "meta mark";
                    case IIFNAME -> "iifname";
                    case OIFNAME -> "oifname";
                });
    }

    @Override
    public Datum eval(EvalContext ctx) {
        return switch (key) {
            case L4PROTO -> Datum.bigEndian(ctx.l4proto(), 1);
            case NFPROTO -> Datum.hostOrder(2, 1);
            case MARK -> Datum.hostOrder(ctx.skb().mark() & 0xffffffffL, 4);
            case IIFNAME -> ifname(ctx.skb().inInterface());
            case OIFNAME -> ifname(ctx.skb().outInterface());
        };
    }

    /** The {@code IFNAMSIZ} bytes of a device name, all zero for none. */
    static Datum ifname(String name) {
        byte[] b = new byte[DataType.IFNAME.length()];
        if (name != null) {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(n, 0, b, 0, Math.min(n.length, b.length - 1));
        }
        return Datum.wrap(b);
    }
}
