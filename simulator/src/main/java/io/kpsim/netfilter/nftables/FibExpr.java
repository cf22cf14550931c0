package io.kpsim.netfilter.nftables;

/**
 * {@code fib saddr type} / {@code fib daddr type} ({@code nft_fib4_eval_type()}): the route type
 * of the address in the node's local table, as {@code inet_addr_type_dev_table()} answers it:
 * {@code local} for the node's own addresses and 127.0.0.0/8, {@code broadcast} for 0.0.0.0/8 and
 * 255.255.255.255, {@code multicast} for 224.0.0.0/4, {@code unicast} otherwise. kpsim's devices
 * have addresses without prefixes, so a subnet's broadcast address is {@code unicast} here.
 *
 * @param daddr the destination address (else the source)
 */
public record FibExpr(boolean daddr) implements Expr {

    /** {@code RTN_UNICAST}. */
    static final int UNICAST = 1;
    /** {@code RTN_LOCAL}. */
    static final int LOCAL = 2;
    /** {@code RTN_BROADCAST}. */
    static final int BROADCAST = 3;
    /** {@code RTN_MULTICAST}. */
    static final int MULTICAST = 5;

    @Override
    public KeyType type() {
        return KeyType.of(DataType.FIB_ADDRTYPE);
    }

    @Override
    public void print(StringBuilder out) {
        out.append(daddr ? "fib daddr type" : "fib saddr type");
    }

    @Override
    public Datum eval(EvalContext ctx) {
        int address = daddr ? ctx.packet().dstIp() : ctx.packet().srcIp();
        return Datum.hostOrder(addressType(address, ctx), 4);
    }

    /** {@code __inet_dev_addr_type()} without a device. */
    static int addressType(int address, EvalContext ctx) {
        if ((address >>> 24) == 0 || address == -1) {
            return BROADCAST;
        }
        if ((address >>> 28) == 0xe) {
            return MULTICAST;
        }
        return ctx.skb().isLocal(address) ? LOCAL : UNICAST;
    }
}
