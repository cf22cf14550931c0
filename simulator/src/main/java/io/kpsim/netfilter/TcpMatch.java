package io.kpsim.netfilter;

import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpSegment;

/**
 * {@code -m tcp} with a flag test: {@code [!] --tcp-flags MASK COMP} matches when
 * {@code (flags & MASK) == COMP}, and {@code [!] --syn} is {@code --tcp-flags FIN,SYN,RST,ACK SYN}
 * ({@code tcp_mt()} in {@code net/netfilter/xt_tcpudp.c}: {@code FWINVTCP((tcph->flags & flg_mask)
 * == flg_cmp, XT_TCP_INV_FLAGS)}). The port part is a {@link PortMatch}; {@code iptables-save}
 * prints the ports first, then the flags, in the order FIN,SYN,RST,PSH,ACK,URG.
 *
 * @param ports the module's port ranges
 * @param flagMask the flags examined
 * @param flagCompare the flags that must be set among them
 * @param flagsNegated {@code ! --tcp-flags} / {@code ! --syn}
 */
public record TcpMatch(PortMatch ports, int flagMask, int flagCompare, boolean flagsNegated) implements Match {

    /** {@code --syn}'s mask: FIN, SYN, RST, ACK. */
    public static final int SYN_MASK = 0x17;

    private static final String[] FLAG_NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG"};

    /** Validates the module. */
    public TcpMatch {
        if (ports.protocol() != Protocol.TCP) {
            throw new IllegalArgumentException("--tcp-flags belongs to -m tcp");
        }
        if ((flagMask & ~0x3f) != 0 || (flagCompare & ~0x3f) != 0) {
            throw new IllegalArgumentException("TCP flags are FIN, SYN, RST, PSH, ACK and URG");
        }
    }

    @Override
    public boolean matches(Skb skb) {
        if (!ports.matches(skb)) {
            return false;
        }
        TcpSegment t = skb.packet().tcp();
        return ((t.flags() & flagMask) == flagCompare) != flagsNegated;
    }

    @Override
    public void save(StringBuilder out) {
        ports.save(out);
        out.append(flagsNegated ? " ! --tcp-flags " : " --tcp-flags ");
        appendFlags(out, flagMask);
        out.append(' ');
        appendFlags(out, flagCompare);
    }

    private static void appendFlags(StringBuilder out, int flags) {
        if (flags == 0) {
            out.append("NONE");
            return;
        }
        boolean first = true;
        for (int i = 0; i < FLAG_NAMES.length; i++) {
            if ((flags & (1 << i)) != 0) {
                out.append(first ? "" : ",").append(FLAG_NAMES[i]);
                first = false;
            }
        }
    }

    /** {@code parse_tcp_flags()} of {@code libxt_tcp}: a comma list of names, {@code ALL} or {@code NONE}. */
    static int flags(String text) {
        int f = 0;
        for (String name : text.split(",", -1)) {
            switch (name) {
                case "ALL" -> f |= 0x3f;
                case "NONE" -> f |= 0;
                default -> {
                    int bit = -1;
                    for (int i = 0; i < FLAG_NAMES.length; i++) {
                        if (FLAG_NAMES[i].equals(name)) {
                            bit = i;
                        }
                    }
                    if (bit < 0) {
                        throw new IllegalArgumentException("--tcp-flags: unknown TCP flag '" + name
                                + "' (expected FIN, SYN, RST, PSH, ACK, URG, ALL or NONE)");
                    }
                    f |= 1 << bit;
                }
            }
        }
        return f;
    }
}
