package io.kpsim.netfilter;

import io.kpsim.packet.Ip4;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One table flattened for evaluation, like the kernel's table blob: all rules in one array, each
 * chain a range of it, jumps resolved to chain indices, per-rule packet and byte counters
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
    private final String[] chainNames;
    private final Policy[] policies;
    private final int[] chainFirst;
    private final int[] chainEnd;
    private final int[] ruleChain;
    private final Rule[] rules;
    private final Match[][] matches;
    private final Target[] targets;
    private final TargetKind[] kinds;
    private final int[] jump;
    private final boolean[] goTo;
    private final int[] hookChain = new int[Hook.values().length];
    private final boolean[] trivial = new boolean[Hook.values().length];
    final long[] packets;
    final long[] bytes;
    final long[] policyPackets;
    final long[] policyBytes;
    private final int[] stackRule;
    private final int[] stackChain;
    private final RuleRef[] ruleRefs;
    private final RuleRef[] policyRefs;
    private final DnatReach reach;
    /** Skips long runs of {@code -d A/32} rules for other addresses; {@code null} for a plain linear walk. */
    private final DispatchIndex index;

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
        List<Chain> chains = source.chains();
        int n = chains.size();
        chainNames = new String[n];
        policies = new Policy[n];
        chainFirst = new int[n];
        chainEnd = new int[n];
        Map<String, Integer> index = new HashMap<>();
        int total = 0;
        for (int c = 0; c < n; c++) {
            Chain chain = chains.get(c);
            chainNames[c] = chain.name();
            policies[c] = chain.policy();
            index.put(chain.name(), c);
            chainFirst[c] = total;
            total += chain.rules().size();
            chainEnd[c] = total;
        }
        rules = new Rule[total];
        matches = new Match[total][];
        targets = new Target[total];
        kinds = new TargetKind[total];
        jump = new int[total];
        goTo = new boolean[total];
        ruleChain = new int[total];
        for (int c = 0; c < n; c++) {
            List<Rule> list = chains.get(c).rules();
            for (int i = 0; i < list.size(); i++) {
                int r = chainFirst[c] + i;
                Rule rule = list.get(i);
                rules[r] = rule;
                // comments always match: leave them out of the evaluated conditions
                matches[r] = rule.matches().stream()
                        .filter(m -> !(m instanceof CommentMatch))
                        .toArray(Match[]::new);
                targets[r] = rule.target();
                kinds[r] = rule.target().kind();
                ruleChain[r] = c;
                jump[r] = -1;
                if (rule.target() instanceof JumpTarget j) {
                    jump[r] = index.get(j.chain());
                    goTo[r] = j.goTo();
                }
            }
        }
        reach = new DnatReach(chains, index::get, total);
        this.index = indexed ? DispatchIndex.build(matches, chainFirst, chainEnd) : null;
        for (Hook h : Hook.values()) {
            Integer c = table.hasHook(h) ? index.get(h.name()) : null;
            hookChain[h.ordinal()] = c == null ? -1 : c;
            trivial[h.ordinal()] = c == null || (chainFirst[c] == chainEnd[c] && policies[c] == Policy.ACCEPT);
        }
        packets = new long[total];
        bytes = new long[total];
        policyPackets = new long[n];
        policyBytes = new long[n];
        stackRule = new int[n + 1];
        stackChain = new int[n + 1];
        ruleRefs = new RuleRef[total];
        for (int r = 0; r < total; r++) {
            int c = ruleChain[r];
            ruleRefs[r] = new RuleRef(table, chainNames[c], r - chainFirst[c] + 1, rules[r]);
        }
        policyRefs = new RuleRef[n];
        for (int c = 0; c < n; c++) {
            policyRefs[c] = new RuleRef(table, chainNames[c], 0, null);
        }
    }

    /** How many runs of {@code -d A/32} rules the walk can skip through (0 when linear). */
    int dispatchSegments() {
        return index == null ? 0 : index.segments();
    }

    /** Whether the table has a chain at {@code hook}. */
    boolean hasHook(Hook hook) {
        return hookChain[hook.ordinal()] >= 0;
    }

    /** Whether the hook's built-in chain is empty with policy ACCEPT (nothing to walk). */
    boolean trivial(Hook hook) {
        return trivial[hook.ordinal()];
    }

    /**
     * {@code ipt_do_table()}: walks the hook's built-in chain.
     *
     * @param trace where to record rule hits, or {@code null}
     * @return the decision: {@code (decider << 1) | DROP?}, the decider being the flat rule index
     *         that decided, or {@code -(chain + 1)} for a chain's policy
     */
    int walk(Hook hook, Skb skb, NatTargets nat, List<TraceStep> trace) {
        int chain = hookChain[hook.ordinal()];
        int base = chain;
        int depth = 0;
        int r = chainFirst[chain];
        int len = skb.packet().totalLength();
        while (true) {
            if (index != null && r < chainEnd[chain]) {
                r = index.next(r, skb.packet().dstIp());
            }
            if (r >= chainEnd[chain]) {
                // falling off a user chain is an implicit RETURN; off a built-in chain, the policy
                if (policies[chain] != null || depth == 0) {
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
            boolean steered = reach.steerable(r) && skb.steeringDnat() != Skb.NO_DNAT;
            if (steered) {
                skb.statisticSteer(reach.decide(r, chain, skb.steeringDnat()));
            }
            boolean hit = matchesAll(matches[r], skb);
            if (steered) {
                skb.statisticSteer(Skb.UNSTEERED);
            }
            if (!hit) {
                r++;
                continue;
            }
            packets[r]++;
            bytes[r] += len;
            switch (kinds[r]) {
                case JUMP -> {
                    if (trace != null && skb.traceEveryRule()) {
                        record(trace, hook, r, depth, chain, (goTo[r] ? "goto " : "jump ") + chainNames[jump[r]]);
                    }
                    if (!goTo[r]) {
                        stackRule[depth] = r + 1;
                        stackChain[depth] = chain;
                        depth++;
                    }
                    chain = jump[r];
                    r = chainFirst[chain];
                    continue;
                }
                case VERDICT -> {
                    VerdictTarget.Verdict v = ((VerdictTarget) targets[r]).verdict();
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
                        DnatTarget d = (DnatTarget) targets[r];
                        record(
                                trace,
                                hook,
                                r,
                                depth,
                                chain,
                                () -> "DNAT to " + (d.port() == 0 ? Ip4.format(d.ip()) : Ip4.format(d.ip(), d.port())));
                    }
                    boolean ok = nat.dnat(skb, (DnatTarget) targets[r], hook, trace);
                    return (r << 1) | (ok ? 0 : DROP);
                }
                case MASQUERADE -> {
                    if (trace != null) {
                        record(trace, hook, r, depth, chain, "MASQUERADE");
                    }
                    boolean ok = nat.masquerade(skb, (MasqueradeTarget) targets[r], hook, trace);
                    return (r << 1) | (ok ? 0 : DROP);
                }
                case MARK -> {
                    int before = skb.mark();
                    skb.mark(((MarkTarget) targets[r]).apply(before));
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
                    DscpTarget d = (DscpTarget) targets[r];
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
                        record(trace, hook, r, depth, chain, "REJECT with " + ((RejectTarget) targets[r]).with());
                    }
                    return (r << 1) | DROP;
                }
                case REDIRECT -> {
                    if (trace != null) {
                        RedirectTarget t = (RedirectTarget) targets[r];
                        record(
                                trace,
                                hook,
                                r,
                                depth,
                                chain,
                                "REDIRECT" + (t.minPort() == 0 ? "" : " to port " + t.minPort()));
                    }
                    boolean ok = nat.redirect(skb, (RedirectTarget) targets[r], hook, trace);
                    return (r << 1) | (ok ? 0 : DROP);
                }
                case SNAT -> {
                    if (trace != null) {
                        SnatTarget t = (SnatTarget) targets[r];
                        record(
                                trace,
                                hook,
                                r,
                                depth,
                                chain,
                                "SNAT to " + (t.minPort() == 0 ? Ip4.format(t.ip()) : Ip4.format(t.ip(), t.minPort())));
                    }
                    boolean ok = nat.snat(skb, (SnatTarget) targets[r], hook, trace);
                    return (r << 1) | (ok ? 0 : DROP);
                }
                case LOG -> {
                    if (trace != null) {
                        record(trace, hook, r, depth, chain, "LOG " + ((LogTarget) targets[r]).prefix());
                    }
                }
                case CONNMARK -> {
                    String did = ((ConnmarkTarget) targets[r]).apply(skb);
                    if (trace != null) {
                        record(trace, hook, r, depth, chain, did);
                    }
                }
                case TOS -> {
                    TosTarget t = (TosTarget) targets[r];
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
                                .withTransport(((TcpmssTarget) targets[r])
                                        .apply(skb.packet().tcp())));
                    }
                    if (trace != null) {
                        record(trace, hook, r, depth, chain, "TCPMSS");
                    }
                }
                case NFLOG -> {
                    if (trace != null) {
                        NflogTarget t = (NflogTarget) targets[r];
                        record(trace, hook, r, depth, chain, "NFLOG group " + t.group() + " " + t.prefix());
                    }
                }
                case CONTINUE -> {
                    if (trace != null && skb.traceEveryRule()) {
                        record(trace, hook, r, depth, chain, "continue (no target: counted only)");
                    }
                }
                case CT_ZONE -> {
                    int zone = ((CtZoneTarget) targets[r]).zone();
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
        Policy p = policies[base];
        if (trace != null) {
            trace.add(new TraceStep(hook, table.label(), List.of(chainNames[base]), 0, null, "policy " + p));
        }
        return (-(base + 1) << 1) | (p == Policy.DROP ? DROP : 0);
    }

    /** Records rule {@code r}'s hit; its save text is formatted only if the step is read. */
    private void record(List<TraceStep> trace, Hook hook, int r, int depth, int chain, String action) {
        trace.add(TraceStep.lazy(
                hook, table.label(), chainPath(depth, chain), ruleNumber(r, chain), rules[r]::saveText, action));
    }

    /** As above, with the action's words formatted only if the step is read. */
    private void record(List<TraceStep> trace, Hook hook, int r, int depth, int chain, Supplier<String> action) {
        trace.add(TraceStep.lazy(
                hook, table.label(), chainPath(depth, chain), ruleNumber(r, chain), rules[r]::saveText, action));
    }

    /**
     * Records the implicit RETURN at the end of a user chain, numbered one past its last rule as
     * {@code -j TRACE} numbers it ({@code trace_packet()}: {@code return}).
     */
    private void recordReturn(List<TraceStep> trace, Hook hook, int depth, int chain) {
        int number = chainEnd[chain] - chainFirst[chain] + 1;
        trace.add(new TraceStep(hook, table.label(), chainPath(depth, chain), number, null, "return"));
    }

    private int ruleNumber(int r, int chain) {
        return r - chainFirst[chain] + 1;
    }

    /** The chains from the built-in one to {@code chain}, as an immutable list the step keeps without copying. */
    private List<String> chainPath(int depth, int chain) {
        String[] path = new String[depth + 1];
        for (int i = 0; i < depth; i++) {
            path[i] = chainNames[stackChain[i]];
        }
        path[depth] = chainNames[chain];
        return List.of(path);
    }

    /** Which rule or policy a {@link #walk} decision names (shared instances: no allocation). */
    RuleRef ref(int decision) {
        int decider = decision >> 1;
        return decider < 0 ? policyRefs[-decider - 1] : ruleRefs[decider];
    }

    /**
     * What the rule behind a dropping {@link #walk} decision sends back when it is a REJECT, or
     * {@code null} for a plain drop (a DROP rule, a policy, a failed NAT binding).
     */
    RejectWith rejectOf(int decision) {
        int decider = decision >> 1;
        if ((decision & DROP) == 0 || decider < 0 || kinds[decider] != TargetKind.REJECT) {
            return null;
        }
        return ((RejectTarget) targets[decider]).with();
    }

    /** Counter lookup by chain name and rule index. */
    int flatIndex(String chain, int index) {
        for (int c = 0; c < chainNames.length; c++) {
            if (chainNames[c].equals(chain)) {
                if (index < 0 || chainFirst[c] + index >= chainEnd[c]) {
                    throw new IllegalArgumentException("chain " + chain + " has no rule " + (index + 1));
                }
                return chainFirst[c] + index;
            }
        }
        throw new IllegalArgumentException("table " + table.label() + " has no chain " + chain);
    }

    /** The chain index of {@code chain}. */
    int chainIndex(String chain) {
        for (int c = 0; c < chainNames.length; c++) {
            if (chainNames[c].equals(chain)) {
                return c;
            }
        }
        throw new IllegalArgumentException("table " + table.label() + " has no chain " + chain);
    }
}
