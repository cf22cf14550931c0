package io.kpsim.netfilter;

/**
 * {@code [!] -p tcp|udp|icmp|sctp}: the {@code ipt_ip} protocol check ({@code ip_packet_match()} in
 * {@code net/ipv4/netfilter/ip_tables.c} compares {@code iph->protocol} with {@code ipinfo->proto}). SCTP (132) is
 * accepted so that kube-proxy's SCTP Service rules load; no packet kpsim models is SCTP, so {@code -p sctp} never
 * matches and {@code ! -p sctp} always does.
 *
 * @param number the IP protocol number: 1, 6, 17 or 132
 * @param negated {@code !}
 */
public record ProtocolMatch(int number, boolean negated) implements Match {

    /** Checks the number. */
    public ProtocolMatch {
        if (number != 1 && number != 6 && number != 17 && number != SctpMatch.IPPROTO_SCTP) {
            throw new IllegalArgumentException("-p needs tcp, udp, icmp or sctp, not protocol " + number);
        }
    }

    @Override
    public boolean matches(Skb skb) {
        return (skb.packet().protocol().number() == number) != negated;
    }

    @Override
    public void save(StringBuilder out) {
        String name = switch (number) {
            case 1 -> "icmp";
            case 6 -> "tcp";
            case 17 -> "udp";
            default -> "sctp";
        };
        out.append(negated ? " ! -p " : " -p ").append(name);
    }

    @Override
    public int saveRank() {
        return 4;
    }
}
