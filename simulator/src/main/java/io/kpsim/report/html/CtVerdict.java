package io.kpsim.report.html;

import io.kpsim.conntrack.CtState;

/**
 * What {@code nf_conntrack_in()} made of a packet at one node: the ctstate the rest of the hooks
 * saw, and the kernel's words when it refused the packet (INVALID) or, on 6.1+, ignored a window
 * failure and let the packet keep its conntrack ({@code nf_tcp_log_invalid()} with
 * {@code NFCT_TCP_IGNORE}, see kernel-conntrack.md §7).
 *
 * @param state the ctstate, or {@code null} when the packet was dropped before conntrack
 * @param ignored whether conntrack ignored a failed check (the state is then not INVALID)
 * @param reason the kernel's log words, or {@code null}
 */
public record CtVerdict(CtState state, boolean ignored, String reason) {

    /** The verdict as the trace reports it: ignored means "a reason, but not INVALID". */
    public static CtVerdict of(CtState state, String reason) {
        return new CtVerdict(state, state != null && state != CtState.INVALID && reason != null, reason);
    }

    /** Whether the packet was INVALID here. */
    public boolean invalid() {
        return state == CtState.INVALID;
    }

    /** The word the ladder prints in the node's box: {@code INVALID}, {@code ESTABLISHED}, ... */
    public String word() {
        if (state == null) {
            return "not tracked";
        }
        return ignored ? state.name() + " (ignored)" : state.name();
    }
}
