package io.kpsim.netfilter;

import io.kpsim.packet.Protocol;
import java.util.Locale;

/**
 * {@code [!] -p tcp|udp|icmp}: the {@code ipt_ip} protocol check.
 *
 * @param protocol the protocol (not {@link Protocol#OTHER})
 * @param negated {@code !}
 */
public record ProtocolMatch(Protocol protocol, boolean negated) implements Match {

    /** Validates the protocol. */
    public ProtocolMatch {
        if (protocol == null || protocol == Protocol.OTHER) {
            throw new IllegalArgumentException("-p needs tcp, udp or icmp");
        }
    }

    @Override
    public boolean matches(Skb skb) {
        return (skb.packet().protocol() == protocol) != negated;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(negated ? " ! -p " : " -p ").append(protocol.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public int saveRank() {
        return 4;
    }
}
