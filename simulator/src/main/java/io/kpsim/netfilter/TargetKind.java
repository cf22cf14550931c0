package io.kpsim.netfilter;

/** The kinds of {@link Target}, one per record, so the chain walker can switch on an enum. */
public enum TargetKind {
    /** ACCEPT, DROP or RETURN. */
    VERDICT,
    /** {@code -j CHAIN} or {@code -g CHAIN}. */
    JUMP,
    /** {@code -j DNAT}. */
    DNAT,
    /** {@code -j MARK}. */
    MARK,
    /** {@code -j MASQUERADE}. */
    MASQUERADE,
    /** {@code -j DSCP}. */
    DSCP,
    /** {@code -j CT --notrack} / {@code -j NOTRACK}. */
    NOTRACK,
    /** {@code -j LOG}. */
    LOG,
    /** {@code -j REJECT}. */
    REJECT,
    /** {@code -j SNAT}. */
    SNAT,
    /** {@code -j REDIRECT}. */
    REDIRECT,
    /** {@code -j CONNMARK}. */
    CONNMARK,
    /** {@code -j TOS}. */
    TOS,
    /** {@code -j TCPMSS}. */
    TCPMSS,
    /** {@code -j NFLOG}. */
    NFLOG,
    /** {@code -j CT --zone}. */
    CT_ZONE,
    /** No target: count and go on with the next rule ({@link ContinueTarget}). */
    CONTINUE
}
