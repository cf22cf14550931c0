package io.kpsim.netfilter;

/**
 * {@code -j CT --notrack} or {@code -j NOTRACK}, both in {@code xt_CT.c}: {@code xt_ct_target()}
 * with {@code XT_CT_NOTRACK}, and the NOTRACK target's own {@code notrack_tg()}. In the raw table
 * it marks the packet UNTRACKED before conntrack runs, so it gets no conntrack and no NAT. Both
 * spellings act alike, and {@code iptables-save} prints each as it was written.
 *
 * @param ctForm whether the rule was written {@code -j CT --notrack} rather than {@code -j NOTRACK}
 */
public record NotrackTarget(boolean ctForm) implements Target {

    @Override
    public TargetKind kind() {
        return TargetKind.NOTRACK;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(ctForm ? " -j CT --notrack" : " -j NOTRACK");
    }
}
