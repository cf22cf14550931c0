package io.kpsim.netfilter;

import io.kpsim.packet.Cidr;

/**
 * {@code [!] -s} or {@code [!] -d} with a prefix: the {@code ipt_ip} source/destination check
 * ({@code ip_packet_match()} in {@code net/ipv4/netfilter/ip_tables.c}).
 *
 * @param source true for {@code -s}, false for {@code -d}
 * @param cidr the prefix ({@code /32} for a host)
 * @param negated {@code !}
 */
public record AddressMatch(boolean source, Cidr cidr, boolean negated) implements Match {

    @Override
    public boolean matches(Skb skb) {
        int address = source ? skb.packet().srcIp() : skb.packet().dstIp();
        return cidr.contains(address) != negated;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(negated ? " ! " : " ").append(source ? "-s " : "-d ").append(cidr);
    }

    @Override
    public int saveRank() {
        return source ? 0 : 1;
    }
}
