package io.kpsim.netfilter;

/**
 * {@code -j CT --notrack} (also written {@code -j NOTRACK}; {@code xt_CT.c}): in the raw table,
 * marks the packet UNTRACKED before conntrack runs, so it gets no conntrack and no NAT.
 */
public record NotrackTarget() implements Target {

    @Override
    public TargetKind kind() {
        return TargetKind.NOTRACK;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -j CT --notrack");
    }
}
