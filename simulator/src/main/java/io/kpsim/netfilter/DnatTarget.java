package io.kpsim.netfilter;

import io.kpsim.packet.Ip4;

/**
 * {@code -j DNAT --to-destination ip[:port]} ({@code xt_dnat_target_v2} in
 * {@code net/netfilter/xt_nat.c}): sets up the connection's destination binding with
 * {@code nf_nat_setup_info()} and accepts. Valid in the nat table at PREROUTING and OUTPUT.
 *
 * @param ip the new destination address
 * @param port the new destination port, or 0 to keep the port
 */
public record DnatTarget(int ip, int port) implements Target {

    /** Validates the port. */
    public DnatTarget {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("DNAT port " + port + " is not in 0..65535");
        }
    }

    @Override
    public TargetKind kind() {
        return TargetKind.DNAT;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -j DNAT --to-destination ").append(Ip4.format(ip));
        if (port != 0) {
            out.append(':').append(port);
        }
    }
}
