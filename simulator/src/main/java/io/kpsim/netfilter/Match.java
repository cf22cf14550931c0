package io.kpsim.netfilter;

/**
 * One condition of an iptables rule: the {@code struct ipt_ip} header part ({@code -s -d -i -o -p})
 * or an {@code xt_match} module ({@code -m tcp}, {@code -m conntrack}, ...). A rule matches when
 * all of its matches do, as in {@code ipt_do_table()}.
 */
public sealed interface Match
        permits AddressMatch,
                InterfaceMatch,
                ProtocolMatch,
                PortMatch,
                ConntrackMatch,
                MarkMatch,
                StatisticMatch,
                CommentMatch,
                AddrTypeMatch,
                MultiportMatch,
                IcmpMatch,
                NfacctMatch,
                TcpMatch,
                StateMatch,
                StatisticNthMatch,
                RecentMatch,
                SetMatch,
                LimitMatch,
                IprangeMatch,
                LengthMatch,
                TtlMatch,
                PkttypeMatch,
                PhysdevMatch,
                MacMatch,
                SctpMatch,
                UnknownMatch {

    /** Whether the packet, as it is now, satisfies this condition (may consume randomness). */
    boolean matches(Skb skb);

    /**
     * Appends the kernel's {@code iptables-save} text for this condition, starting with a space
     * (e.g. {@code " -m mark ! --mark 0x4000/0x4000"}).
     */
    void save(StringBuilder out);

    /**
     * Where {@code iptables-save} prints this condition: the {@code ipt_ip} part comes first in
     * the fixed order {@code -s -d -i -o -p} (0..4); modules follow in rule order (5).
     */
    default int saveRank() {
        return 5;
    }
}
