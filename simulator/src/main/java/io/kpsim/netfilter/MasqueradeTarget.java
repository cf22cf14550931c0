package io.kpsim.netfilter;

/**
 * {@code -j MASQUERADE [--to-ports P[-P]] [--random] [--random-fully]}
 * ({@code nf_nat_masquerade_ipv4()}): source NAT to the outgoing interface's address. With
 * {@code --to-ports} the source port must lie in the range; with {@code --random}
 * ({@code NF_NAT_RANGE_PROTO_RANDOM}) or {@code --random-fully}
 * ({@code NF_NAT_RANGE_PROTO_RANDOM_FULLY}, kube-proxy, PR 78547) it is always drawn instead of
 * kept when free.
 *
 * @param minPort lowest source port, 0 when no {@code --to-ports}
 * @param maxPort highest source port
 * @param random {@code --random}
 * @param randomFully {@code --random-fully}
 */
public record MasqueradeTarget(int minPort, int maxPort, boolean random, boolean randomFully) implements Target {

    /** Validates the port range. */
    public MasqueradeTarget {
        if (minPort < 0 || maxPort > 0xffff || maxPort < minPort) {
            throw new IllegalArgumentException(
                    "MASQUERADE port range " + minPort + "-" + maxPort + " is not within 0-65535");
        }
    }

    /** Without ports, kube-proxy's form. */
    public MasqueradeTarget(boolean randomFully) {
        this(0, 0, false, randomFully);
    }

    @Override
    public TargetKind kind() {
        return TargetKind.MASQUERADE;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -j MASQUERADE");
        if (minPort != 0) {
            out.append(" --to-ports ").append(minPort);
            if (maxPort != minPort) {
                out.append('-').append(maxPort);
            }
        }
        if (random) {
            out.append(" --random");
        }
        if (randomFully) {
            out.append(" --random-fully");
        }
    }
}
