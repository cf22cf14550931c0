package io.kpsim.netfilter;

import io.kpsim.packet.Ip4;
import java.util.List;
import java.util.function.Supplier;

/**
 * One table flattened for evaluation: the kernel's table blob ({@link TableBlob}), per-rule packet and byte counters
 * ({@code struct xt_counters}). {@link #walk} is {@code ipt_do_table()}: a jump pushes a return
 * point, RETURN or the end of a user chain pops it, and with an empty stack the built-in chain's
 * policy decides.
 *
 * <p>Not thread-safe: one node, one thread. Evaluation allocates nothing unless tracing.
 */
final class CompiledTable {

    /** Decision flag: the packet is dropped. */
    static final int DROP = 1;

    final Table table;
    final TableRules source;
    /** The rules laid out flat ({@code translate_table()}). */
    private final TableBlob blob;

    final long[] packets;
    final long[] bytes;
    final long[] policyPackets;
    final long[] policyBytes;
    /** The return points of the jumps taken so far ({@code jumpstack}). */
    private final int[] stackRule;

    private final int[] stackChain;
    /** The narration steps, once a walk traced. */
    private RuleSteps steps;

    CompiledTable(TableRules source) {
        this(source, true);
    }

    /**
     * A table for evaluation.
     *
     * @param indexed whether walks use a {@link DispatchIndex} (same results, fewer rules tested)
     */
    CompiledTable(TableRules source, boolean indexed) {
        this.table = source.table();
        this.source = source;
        this.blob = new TableBlob(source, indexed);
        int n = blob.chains();
        packets = new long[blob.size()];
        bytes = new long[blob.size()];
        policyPackets = new long[n];
        policyBytes = new long[n];
        stackRule = new int[n + 1];
        stackChain = new int[n + 1];
    }

    /** How many runs of {@code -d A/32} rules the walk can skip through (0 when linear). */
    int dispatchSegments() {
        return blob.index == null ? 0 : blob.index.segments();
    }

    /** Whether the table has a chain at {@code hook}. */
    boolean hasHook(Hook hook) {
        return blob.hookChain[hook.ordinal()] >= 0;
    }

    /** Whether the hook's built-in chain is empty with policy ACCEPT (nothing to walk). */
    boolean trivial(Hook hook) {
        return blob.trivial[hook.ordinal()];
    }

    /**
     * {@code ipt_do_table()}: walks the hook's built-in chain.
     *
     * @param trace where to record rule hits, or {@code null}
     * @return the decision: {@code (decider << 1) | DROP?}, the decider being the flat rule index
     *         that decided, or {@code -(chain + 1)} for a chain's policy
     */
    int walk(Hook hook, Skb skb, NatTargets nat, List<TraceStep> trace) {
        int chain = blob.hookChain[hook.ordinal()];
        int base = chain;
        int depth = 0;
        int r = blob.chainFirst[chain];
        int len = skb.packet().totalLength();
        while (true) {
            if (blob.index != null && r < blob.chainEnd[chain]) {
                r = blob.index.next(r, skb.packet().dstIp());
            }
            if (r >= blob.chainEnd[chain]) {
                // falling off a user chain is an implicit RETURN; off a built-in chain, the policy
                if (blob.policies[chain] != null || depth == 0) {
                    return policy(base, hook, len, trace);
                }
                if (trace != null && skb.traceEveryRule()) {
                    recordReturn(trace, hook, depth, chain);
                }
                depth--;
                r = stackRule[depth];
                chain = stackChain[depth];
                continue;
            }
            boolean steered = blob.reach.steerable(r) && skb.steeringDnat() != Skb.NO_DNAT;
            if (steered) {
                skb.statisticSteer(blob.reach.decide(r, chain, skb.steeringDnat()));
            }
            boolean hit = matchesAll(blob.matches[r], skb);
            if (steered) {
                skb.statisticSteer(Skb.UNSTEERED);
            }
            if (!hit) {
                r++;
                continue;
            }
            packets[r]++;
            bytes[r] += len;
            switch (blob.kinds[r]) {
                case JUMP -> {
                    if (trace != null && skb.traceEveryRule()) {
                        record(
                                trace,
                                hook,
                                r,
                                depth,
                                chain,
                                (blob.goTo[r] ? "goto " : "jump ") + blob.chainNames[blob.jump[r]]);
                    }
                    if (!blob.goTo[r]) {
                        stackRule[depth] = r + 1;
                        stackChain[depth] = chain;
                        depth++;
                    }
                    chain = blob.jump[r];
                    r = blob.chainFirst[chain];
                    continue;
                }
                case VERDICT -> {
                    VerdictTarget.Verdict v = ((VerdictTarget) blob.targets[r]).verdict();
                    if (trace != null) {
                        record(trace, hook, r, depth, chain, v.name());
                    }
                    switch (v) {
                        case ACCEPT -> {
                            return r << 1;
                        }
                        case DROP -> {
                            return (r << 1) | DROP;
                        }
                        case RETURN -> {
                            if (depth == 0) {
                                return policy(base, hook, len, trace);
                            }
                            depth--;
                            r = stackRule[depth];
                            chain = stackChain[depth];
                            continue;
                        }
                    }
                }
                case DNAT -> {
                    if (trace != null) {
                        DnatTarget d = (DnatTarget) blob.targets[r];
                        recordOfRule(
                                trace,
                                hook,
                                r,
                                depth,
                                chain,
                                () -> "DNAT to " + (d.port() == 0 ? Ip4.format(d.ip()) : Ip4.format(d.ip(), d.port())));
                    }
                    boolean ok = nat.dnat(skb, (DnatTarget) blob.targets[r], hook, trace);
                    return (r << 1) | (ok ? 0 : DROP);
                }
                case MASQUERADE -> {
                    if (trace != null) {
                        record(trace, hook, r, depth, chain, "MASQUERADE");
                    }
                    boolean ok = nat.masquerade(skb, (MasqueradeTarget) blob.targets[r], hook, trace);
                    return (r << 1) | (ok ? 0 : DROP);
                }
                case MARK -> {
                    int before = skb.mark();
                    skb.mark(((MarkTarget) blob.targets[r]).apply(before));
                    if (trace != null) {
                        int after = skb.mark();
                        record(
                                trace,
                                hook,
                                r,
                                depth,
                                chain,
                                () -> "MARK " + MarkMatch.hex(before) + " -> " + MarkMatch.hex(after));
                    }
                }
                case DSCP -> {
                    DscpTarget d = (DscpTarget) blob.targets[r];
                    skb.packet(skb.packet().withTos(d.apply(skb.packet().tos())));
                    if (trace != null) {
                        record(trace, hook, r, depth, chain, "DSCP set " + d.dscp());
                    }
                }
                case NOTRACK -> {
                    skb.setNotrack();
                    if (trace != null) {
                        record(trace, hook, r, depth, chain, "NOTRACK");
                    }
                }
                case REJECT -> {
                    if (trace != null) {
                        record(trace, hook, r, depth, chain, "REJECT with " + ((RejectTarget) blob.targets[r]).with());
                    }
                    return (r << 1) | DROP;
                }
                case REDIRECT -> {
                    if (trace != null) {
                        RedirectTarget t = (RedirectTarget) blob.targets[r];
                        record(
                                trace,
                                hook,
                                r,
                                depth,
                                chain,
                                "REDIRECT" + (t.minPort() == 0 ? "" : " to port " + t.minPort()));
                    }
                    boolean ok = nat.redirect(skb, (RedirectTarget) blob.targets[r], hook, trace);
                    return (r << 1) | (ok ? 0 : DROP);
                }
                case SNAT -> {
                    if (trace != null) {
                        SnatTarget t = (SnatTarget) blob.targets[r];
                        record(
                                trace,
                                hook,
                                r,
                                depth,
                                chain,
                                "SNAT to " + (t.minPort() == 0 ? Ip4.format(t.ip()) : Ip4.format(t.ip(), t.minPort())));
                    }
                    boolean ok = nat.snat(skb, (SnatTarget) blob.targets[r], hook, trace);
                    return (r << 1) | (ok ? 0 : DROP);
                }
                case LOG -> {
                    if (trace != null) {
                        record(trace, hook, r, depth, chain, "LOG " + ((LogTarget) blob.targets[r]).prefix());
                    }
                }
                case CONNMARK -> {
                    String did = ((ConnmarkTarget) blob.targets[r]).apply(skb);
                    if (trace != null) {
                        record(trace, hook, r, depth, chain, did);
                    }
                }
                case TOS -> {
                    TosTarget t = (TosTarget) blob.targets[r];
                    skb.packet(skb.packet().withTos(t.apply(skb.packet().tos())));
                    if (trace != null) {
                        record(
                                trace,
                                hook,
                                r,
                                depth,
                                chain,
                                "TOS set " + MarkMatch.hex(skb.packet().tos()));
                    }
                }
                case TCPMSS -> {
                    if (skb.packet().tcp() != null) {
                        skb.packet(skb.packet()
                                .withTransport(((TcpmssTarget) blob.targets[r])
                                        .apply(skb.packet().tcp())));
                    }
                    if (trace != null) {
                        record(trace, hook, r, depth, chain, "TCPMSS");
                    }
                }
                case NFLOG -> {
                    if (trace != null) {
                        NflogTarget t = (NflogTarget) blob.targets[r];
                        record(trace, hook, r, depth, chain, "NFLOG group " + t.group() + " " + t.prefix());
                    }
                }
                case CONTINUE -> {
                    if (trace != null && skb.traceEveryRule()) {
                        record(trace, hook, r, depth, chain, "continue (no target: counted only)");
                    }
                }
                case CT_ZONE -> {
                    int zone = ((CtZoneTarget) blob.targets[r]).zone();
                    skb.setCtZone(zone);
                    if (trace != null) {
                        record(trace, hook, r, depth, chain, "CT zone " + zone);
                    }
                }
            }
            r++;
        }
    }

    private static boolean matchesAll(Match[] ms, Skb skb) {
        for (Match m : ms) {
            if (!m.matches(skb)) {
                return false;
            }
        }
        return true;
    }

    private int policy(int base, Hook hook, int len, List<TraceStep> trace) {
        policyPackets[base]++;
        policyBytes[base] += len;
        Policy p = blob.policies[base];
        if (trace != null) {
            trace.add(steps().policy(hook, base));
        }
        return (-(base + 1) << 1) | (p == Policy.DROP ? DROP : 0);
    }

    /** The table's narration steps, made on the first traced walk (a quiet run makes none). */
    private RuleSteps steps() {
        RuleSteps s = steps;
        if (s == null) {
            s = new RuleSteps(blob, table.label());
            steps = s;
        }
        return s;
    }

    /** Records rule {@code r}'s hit; its save text is formatted only if the step is read. */
    private void record(List<TraceStep> trace, Hook hook, int r, int depth, int chain, String action) {
        trace.add(steps().rule(hook, r, stackChain, depth, chain, ruleNumber(r, chain), action));
    }

    /** As above, with the action's words formatted only if read; they depend on the rule alone. */
    private void recordOfRule(List<TraceStep> trace, Hook hook, int r, int depth, int chain, Supplier<String> action) {
        trace.add(steps().rule(hook, r, stackChain, depth, chain, ruleNumber(r, chain), action));
    }

    /** As above, with words that depend on the packet: a step of its own. */
    private void record(List<TraceStep> trace, Hook hook, int r, int depth, int chain, Supplier<String> action) {
        trace.add(TraceStep.lazy(
                hook, table.label(), chainPath(depth, chain), ruleNumber(r, chain), blob.rules[r]::saveText, action));
    }

    /**
     * Records the implicit RETURN at the end of a user chain, numbered one past its last rule as
     * {@code -j TRACE} numbers it ({@code trace_packet()}: {@code return}).
     */
    private void recordReturn(List<TraceStep> trace, Hook hook, int depth, int chain) {
        int number = blob.chainEnd[chain] - blob.chainFirst[chain] + 1;
        trace.add(steps().chainReturn(hook, stackChain, depth, chain, number));
    }

    private int ruleNumber(int r, int chain) {
        return r - blob.chainFirst[chain] + 1;
    }

    /** The chains from the built-in one to {@code chain}, as an immutable list the step keeps without copying. */
    private List<String> chainPath(int depth, int chain) {
        String[] path = new String[depth + 1];
        for (int i = 0; i < depth; i++) {
            path[i] = blob.chainNames[stackChain[i]];
        }
        path[depth] = blob.chainNames[chain];
        return List.of(path);
    }

    /** Which rule or policy a {@link #walk} decision names (shared instances: no allocation). */
    RuleRef ref(int decision) {
        int decider = decision >> 1;
        return decider < 0 ? blob.policyRefs[-decider - 1] : blob.ruleRefs[decider];
    }

    /**
     * What the rule behind a dropping {@link #walk} decision sends back when it is a REJECT, or
     * {@code null} for a plain drop (a DROP rule, a policy, a failed NAT binding).
     */
    RejectWith rejectOf(int decision) {
        int decider = decision >> 1;
        if ((decision & DROP) == 0 || decider < 0 || blob.kinds[decider] != TargetKind.REJECT) {
            return null;
        }
        return ((RejectTarget) blob.targets[decider]).with();
    }

    /** Counter lookup by chain name and rule index. */
    int flatIndex(String chain, int index) {
        return blob.flatIndex(chain, index);
    }

    /** The chain index of {@code chain}. */
    int chainIndex(String chain) {
        return blob.chainIndex(chain);
    }
}
