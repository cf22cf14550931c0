package io.kpsim.netfilter;

/**
 * {@code -j MASQUERADE [--random-fully]} ({@code nf_nat_masquerade_ipv4()}): source NAT to the
 * outgoing interface's address. With {@code --random-fully} ({@code NF_NAT_RANGE_PROTO_RANDOM_FULLY})
 * the source port is always drawn at random instead of kept when free (kube-proxy, PR 78547).
 *
 * @param randomFully {@code --random-fully}
 */
public record MasqueradeTarget(boolean randomFully) implements Target {

    @Override
    public TargetKind kind() {
        return TargetKind.MASQUERADE;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -j MASQUERADE");
        if (randomFully) {
            out.append(" --random-fully");
        }
    }
}
