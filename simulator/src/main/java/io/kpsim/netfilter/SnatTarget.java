package io.kpsim.netfilter;

import io.kpsim.packet.Ip4;

/**
 * {@code -j SNAT --to-source ip[:port[-port]] [--random-fully]} ({@code xt_snat_target_v2} in
 * {@code net/netfilter/xt_nat.c}): sets up the connection's source binding with
 * {@code nf_nat_setup_info()} and accepts. Registered for the nat table at POSTROUTING and INPUT.
 *
 * @param ip the new source address
 * @param minPort lowest source port, 0 to keep the port when it is free
 * @param maxPort highest source port (equal to {@code minPort} for one port)
 * @param randomFully {@code --random-fully} ({@code NF_NAT_RANGE_PROTO_RANDOM_FULLY})
 */
public record SnatTarget(int ip, int minPort, int maxPort, boolean randomFully) implements Target {

    /** Validates the port range. */
    public SnatTarget {
        if (minPort < 0 || maxPort > 0xffff || maxPort < minPort) {
            throw new IllegalArgumentException("SNAT port range " + minPort + "-" + maxPort + " is not within 0-65535");
        }
    }

    @Override
    public TargetKind kind() {
        return TargetKind.SNAT;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -j SNAT --to-source ").append(Ip4.format(ip));
        if (minPort != 0) {
            out.append(':').append(minPort);
            if (maxPort != minPort) {
                out.append('-').append(maxPort);
            }
        }
        if (randomFully) {
            out.append(" --random-fully");
        }
    }
}
