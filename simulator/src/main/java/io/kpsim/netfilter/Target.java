package io.kpsim.netfilter;

/**
 * What a matching rule does ({@code -j}/{@code -g}): a standard verdict, a jump, or a target
 * extension ({@code xt_target}). Non-terminating targets (MARK, DSCP, CT, LOG) return
 * {@code XT_CONTINUE} and evaluation goes on with the next rule.
 */
public sealed interface Target
        permits VerdictTarget,
                JumpTarget,
                DnatTarget,
                MarkTarget,
                MasqueradeTarget,
                DscpTarget,
                NotrackTarget,
                LogTarget,
                RejectTarget,
                SnatTarget,
                RedirectTarget,
                ConnmarkTarget,
                TosTarget,
                TcpmssTarget,
                NflogTarget,
                CtZoneTarget,
                ContinueTarget {

    /** The kind, for exhaustive dispatch on the hot path. */
    TargetKind kind();

    /**
     * Appends {@code iptables-save}'s text, starting with a space (e.g.
     * {@code " -j DNAT --to-destination 10.0.1.1:80"}).
     */
    void save(StringBuilder out);
}
