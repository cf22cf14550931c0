package io.kpsim.netfilter;

import java.util.List;

/**
 * What a {@link HookProgram} works with while it runs ({@code struct nf_hook_state} and the
 * skb): the packet and its metadata, the NAT core, the node's random choices and clock, the trace,
 * and where it reports which rule decided and what a reject sends back.
 */
public interface HookContext {

    /** The hook being run. */
    Hook hook();

    /** The packet, its mark, devices and conntrack. */
    Skb skb();

    /** The NAT core ({@code nf_nat_setup_info()}), for NAT statements and targets. */
    NatSetup nat();

    /** The node's random choices (numgen, statistic). */
    RandomChoice random();

    /** The simulation clock, in nanoseconds. */
    long now();

    /** Where rule hits are recorded, or {@code null} when not tracing. */
    List<TraceStep> trace();

    /**
     * Records the rule or policy that gave this program's verdict (the last call wins). An
     * accept is recorded only by filter programs.
     */
    void decidedBy(DecidingRule rule);

    /** Records that the drop being returned is a reject that sends {@code how} back. */
    void reject(RejectWith how);
}
