package io.kpsim.scenario;

import io.kpsim.report.RunMetrics;

/**
 * The answer of one {@link Matrix} row to "am I protected?": exposed when a connection was reset,
 * else what protected it, judged in the order the packet meets the protections: be_liberal makes
 * conntrack accept the out-of-window segment (no INVALID at all, {@code tcp_in_window()} in
 * {@code net/netfilter/nf_conntrack_proto_tcp.c}); else a rule dropped the INVALID packet before
 * it could skip the reverse NAT (KUBE-FORWARD's drop, PR 74840, or nftables' {@code ct state
 * invalid drop}); else a 6.1+ kernel let it pass as "ignored" ({@code NFCT_TCP_IGNORE}, commit
 * 6e250dcbff1d) with its NAT intact. A run where a rule dropped INVALID packets and no connection
 * completed is the drop's side effect instead (a node that sees half of each connection, kubernetes
 * issue 94861): not a protection.
 */
public enum MatrixVerdict {
    /** At least one connection was reset. */
    EXPOSED("exposed"),
    /** No reset, but a rule dropped INVALID packets and no connection completed: the drop broke them. */
    BROKEN_BY_DROP("broken: INVALID drop rule"),
    /** No reset, and {@code nf_conntrack_tcp_be_liberal=1}. */
    BE_LIBERAL("protected: be_liberal"),
    /** No reset, and INVALID packets were dropped by a rule. */
    INVALID_DROP("protected: INVALID drop rule"),
    /** No reset, and the kernel ignored the out-of-window packets instead of marking them INVALID. */
    KERNEL_IGNORES("protected: kernel ignores it"),
    /** No reset and none of the three was needed: the scenario never provoked one here. */
    NOT_PROVOKED("no reset provoked");

    private final String text;

    MatrixVerdict(String text) {
        this.text = text;
    }

    /** The words the table prints. */
    public String text() {
        return text;
    }

    /** The verdict of a run with these counters on a node with be_liberal {@code beLiberal}. */
    public static MatrixVerdict of(RunMetrics m, boolean beLiberal) {
        if (m.resets() > 0) {
            return EXPOSED;
        }
        if (m.invalidDropped() > 0 && m.connections() > 0 && m.completed() == 0) {
            return BROKEN_BY_DROP;
        }
        if (beLiberal) {
            return BE_LIBERAL;
        }
        if (m.invalidDropped() > 0) {
            return INVALID_DROP;
        }
        if (m.ignored() > 0) {
            return KERNEL_IGNORES;
        }
        return NOT_PROVOKED;
    }
}
