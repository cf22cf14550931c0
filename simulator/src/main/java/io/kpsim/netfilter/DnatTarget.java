package io.kpsim.netfilter;

import io.kpsim.packet.Ip4;

/**
 * {@code -j DNAT --to-destination [ip[-ip]][:port[-port]] [--random] [--persistent]}
 * ({@code xt_dnat_target_v2} in {@code net/netfilter/xt_nat.c}): sets up the connection's
 * destination binding with {@code nf_nat_setup_info()} and accepts. An address range is chosen
 * from by {@code find_best_ips_proto()}'s hash of the tuple ({@code --persistent} leaves the
 * destination out of it); a port range is kept when the port is in it and the tuple is unique,
 * else drawn ({@code --random}: always drawn). Valid in the nat table at PREROUTING and OUTPUT.
 *
 * @param ip the first new destination address, 0 to keep the address (a port-only {@code :port})
 * @param maxIp the last address of the range ({@code ip} for one)
 * @param minPort lowest new destination port, 0 to keep the port
 * @param maxPort highest new destination port
 * @param random {@code --random} ({@code NF_NAT_RANGE_PROTO_RANDOM})
 * @param persistent {@code --persistent} ({@code NF_NAT_RANGE_PERSISTENT})
 */
public record DnatTarget(int ip, int maxIp, int minPort, int maxPort, boolean random, boolean persistent)
        implements Target {

    /** Validates the ranges. */
    public DnatTarget {
        if (minPort < 0 || maxPort > 0xffff || maxPort < minPort) {
            throw new IllegalArgumentException("DNAT port range " + minPort + "-" + maxPort + " is not within 0-65535");
        }
        if (Integer.compareUnsigned(maxIp, ip) < 0) {
            throw new IllegalArgumentException(
                    "DNAT address range " + Ip4.format(ip) + "-" + Ip4.format(maxIp) + " is reversed");
        }
    }

    /** One address and port (0: keep the port), kube-proxy's form. */
    public DnatTarget(int ip, int port) {
        this(ip, ip, port, port, false, false);
    }

    /** The new destination port when one port is given, else the first of the range; 0 to keep it. */
    public int port() {
        return minPort;
    }

    /** Whether the target names exactly one address and at most one port (what kube-proxy writes). */
    public boolean single() {
        return ip == maxIp && minPort == maxPort && !random && !persistent;
    }

    @Override
    public TargetKind kind() {
        return TargetKind.DNAT;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -j DNAT --to-destination ");
        NatTargetText.range(out, ip, maxIp, minPort, maxPort);
        if (random) {
            out.append(" --random");
        }
        if (persistent) {
            out.append(" --persistent");
        }
    }
}
