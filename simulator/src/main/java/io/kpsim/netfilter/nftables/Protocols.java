package io.kpsim.netfilter.nftables;

/**
 * Names of IP protocol numbers as {@code nft list} prints {@code meta l4proto} and
 * {@code ip protocol} values: nft asks {@code getprotobynumber_r()}, i.e. {@code /etc/protocols}.
 * The table holds the names of Debian's {@code netbase} file (the machines kpsim is verified on;
 * IANA's keywords, first name per number), so the output does not depend on the machine kpsim
 * runs on. {@code icmpv6} is accepted as nft's own keyword for 58 (printed {@code ipv6-icmp}).
 */
final class Protocols {

    private static final String[] NAMES = new String[256];

    static {
        String table = "0 ip;1 icmp;2 igmp;3 ggp;4 ipencap;5 st;6 tcp;8 egp;9 igp;12 pup;17 udp;20 hmp;22 xns-idp;"
                + "27 rdp;29 iso-tp4;33 dccp;36 xtp;37 ddp;38 idpr-cmtp;41 ipv6;43 ipv6-route;44 ipv6-frag;"
                + "45 idrp;46 rsvp;47 gre;50 esp;51 ah;57 skip;58 ipv6-icmp;59 ipv6-nonxt;60 ipv6-opts;"
                + "73 rspf;81 vmtp;88 eigrp;89 ospf;93 ax.25;94 ipip;97 etherip;98 encap;103 pim;108 ipcomp;"
                + "112 vrrp;115 l2tp;124 isis;132 sctp;133 fc;135 mobility-header;136 udplite;137 mpls-in-ip;"
                + "138 manet;139 hip;140 shim6;141 wesp;142 rohc;143 ethernet";
        for (String entry : table.split(";")) {
            int space = entry.indexOf(' ');
            NAMES[Integer.parseInt(entry.substring(0, space))] = entry.substring(space + 1);
        }
    }

    private Protocols() {}

    /** The printed name of protocol {@code number}, or the number. */
    static String name(int number) {
        String n = NAMES[number];
        return n == null ? Integer.toString(number) : n;
    }

    /** The number of a protocol name, or -1. */
    static int number(String name) {
        if (name.equals("icmpv6") || name.equals("hopopt")) {
            return name.equals("icmpv6") ? 58 : 0;
        }
        for (int i = 0; i < NAMES.length; i++) {
            if (name.equals(NAMES[i])) {
                return i;
            }
        }
        return -1;
    }
}
