package io.kpsim.conntrack;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;

/**
 * A tuple as {@link ConnTable}'s two key words, the key of {@link ChainMachine}'s reference map.
 *
 * @param high {@link ConnTable#keyHigh}: source and destination address
 * @param low {@link ConnTable#keyLow}: protocol and ports
 */
record TupleKey(long high, long low) {

    /** The tuple of {@code p} as sent (its ORIGINAL tuple when it opens a connection). */
    static TupleKey of(Packet p) {
        return new TupleKey(
                ConnTable.keyHigh(p.srcIp(), p.dstIp()),
                ConnTable.keyLow(p.protocol().number(), p.srcPort(), p.dstPort()));
    }

    /** The tuple of the other direction (no NAT in these chains: the addresses and ports swapped). */
    TupleKey inverse() {
        int srcIp = (int) (high >>> 32);
        int dstIp = (int) high;
        int protocol = (int) (low >>> 32) & 0xff;
        int srcPort = (int) (low >>> 16) & 0xffff;
        int dstPort = (int) low & 0xffff;
        return new TupleKey(ConnTable.keyHigh(dstIp, srcIp), ConnTable.keyLow(protocol, dstPort, srcPort));
    }

    @Override
    public String toString() {
        return Ip4.format((int) (high >>> 32)) + ":" + ((low >>> 16) & 0xffff) + " -> " + Ip4.format((int) high) + ":"
                + (low & 0xffff);
    }
}
