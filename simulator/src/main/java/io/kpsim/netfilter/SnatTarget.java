package io.kpsim.netfilter;

/**
 * {@code -j SNAT --to-source ip[-ip][:port[-port]] [--random] [--random-fully] [--persistent]}
 * ({@code xt_snat_target_v2} in {@code net/netfilter/xt_nat.c}): sets up the connection's source
 * binding with {@code nf_nat_setup_info()} and accepts. An address range is chosen from by
 * {@code find_best_ips_proto()}'s hash of the tuple ({@code --persistent} leaves the destination
 * out of it). Registered for the nat table at POSTROUTING and INPUT.
 *
 * @param ip the first new source address
 * @param maxIp the last address of the range ({@code ip} for one)
 * @param minPort lowest source port, 0 to keep the port when it is free
 * @param maxPort highest source port (equal to {@code minPort} for one port)
 * @param random {@code --random} ({@code NF_NAT_RANGE_PROTO_RANDOM})
 * @param randomFully {@code --random-fully} ({@code NF_NAT_RANGE_PROTO_RANDOM_FULLY})
 * @param persistent {@code --persistent}
 */
public record SnatTarget(
        int ip, int maxIp, int minPort, int maxPort, boolean random, boolean randomFully, boolean persistent)
        implements Target {

    /** Validates the ranges. */
    public SnatTarget {
        if (minPort < 0 || maxPort > 0xffff || maxPort < minPort) {
            throw new IllegalArgumentException("SNAT port range " + minPort + "-" + maxPort + " is not within 0-65535");
        }
        if (Integer.compareUnsigned(maxIp, ip) < 0) {
            throw new IllegalArgumentException("SNAT address range is reversed");
        }
    }

    /** One address. */
    public SnatTarget(int ip, int minPort, int maxPort, boolean randomFully) {
        this(ip, ip, minPort, maxPort, false, randomFully, false);
    }

    @Override
    public TargetKind kind() {
        return TargetKind.SNAT;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -j SNAT --to-source ");
        NatTargetText.range(out, ip, maxIp, minPort, maxPort);
        if (random) {
            out.append(" --random");
        }
        if (randomFully) {
            out.append(" --random-fully");
        }
        if (persistent) {
            out.append(" --persistent");
        }
    }
}
