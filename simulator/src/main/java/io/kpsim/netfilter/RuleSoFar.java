package io.kpsim.netfilter;

import io.kpsim.packet.Protocol;

/**
 * What a module's reader may ask of the rule it is part of: its {@code -p} (modules such as
 * {@code multiport}, {@code tcp} and {@code REJECT --reject-with tcp-reset} need one, as the
 * kernel's {@code checkentry} functions check {@code ipt_ip.proto}).
 */
interface RuleSoFar {

    /** The rule's {@code -p}, or {@code null} when none was given. */
    Protocol protocol();

    /** Whether the {@code -p} is negated ({@code ! -p tcp}). */
    boolean protocolNegated();

    /**
     * The ipsets the rules may name ({@code -m set} refuses a missing one, as the kernel's
     * {@code set_match_v4_checkentry()} does), or {@code null} when they are not known at parse time.
     */
    default io.kpsim.netfilter.ipset.IpSets ipsets() {
        return null;
    }

    /** Whether the rule says {@code -p PROTO} for exactly this protocol (not negated). */
    /** Whether the rule has {@code -p sctp} (not negated); {@link #protocol()} is then {@link Protocol#OTHER}. */
    default boolean sctp() {
        return false;
    }

    default boolean is(Protocol p) {
        return protocol() == p && !protocolNegated();
    }
}
