package io.kpsim.netfilter;

import java.util.List;

/**
 * One thing that happened to a packet at a node, for narration: a rule whose target ran (the
 * chain path shows the jumps that led there), a chain policy, conntrack's verdict, or a NAT
 * manipulation. Recorded only when the datapath traces.
 *
 * @param hook where it happened
 * @param table {@code raw}, {@code mangle}, {@code nat}, {@code filter}, or {@code conntrack} /
 *              {@code nat-core} for the steps that are not rules
 * @param chainPath the chains from the built-in chain to the rule's chain; empty for non-rule steps
 * @param ruleNumber the 1-based rule number in the last chain of the path, 0 for a policy or non-rule step
 * @param rule the rule in save form, or {@code null}
 * @param action what happened, e.g. {@code DNAT to 10.244.1.3:8080}
 */
public record TraceStep(Hook hook, String table, List<String> chainPath, int ruleNumber, String rule, String action) {

    /** Copies the path. */
    public TraceStep {
        chainPath = List.copyOf(chainPath);
    }

    /** A step that is not a rule (conntrack, NAT core). */
    public static TraceStep note(Hook hook, String component, String action) {
        return new TraceStep(hook, component, List.of(), 0, null, action);
    }

    /**
     * E.g. {@code PREROUTING nat KUBE-SERVICES -> KUBE-SVC-XYZ -> KUBE-SEP-ABC: DNAT to 10.244.1.3:8080}:
     * the built-in chain is left out of a longer path, as the hook already names it.
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(96).append(hook).append(' ').append(table);
        if (chainPath.size() == 1) {
            s.append(' ').append(chainPath.get(0));
        } else if (chainPath.size() > 1) {
            s.append(' ').append(String.join(" -> ", chainPath.subList(1, chainPath.size())));
        }
        return s.append(": ").append(action).toString();
    }
}
