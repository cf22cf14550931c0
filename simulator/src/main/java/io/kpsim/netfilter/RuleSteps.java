package io.kpsim.netfilter;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The narration steps one table records, made once and given again while they say the same: a
 * narrated run walks the same few rules for nearly every packet (KUBE-FORWARD's ACCEPT, a
 * service's DNAT), and a {@link TraceStep} is immutable in what it says, so the step of a rule
 * reached by the same chain path at the same hook with the same action is the same step. Reusing
 * it saves, per rule hit, the step, its chain path and the rule text's supplier; the words (the
 * rule's save text) are then formatted once for the whole run instead of once per printed step.
 *
 * <p>Only steps whose words depend on the rule alone are kept: the action is a constant string
 * of the rule's target, or a supplier the caller says depends only on the rule (a DNAT's target
 * address). A step whose words depend on the packet (a MARK's before and after) is made anew.
 */
final class RuleSteps {

    private final TableBlob blob;
    private final String label;
    /** The last step of each rule, by rule index, or {@code null}. */
    private final TraceStep[] rules;
    /** The policy step of each built-in chain, by chain index, or {@code null}. */
    private final TraceStep[] policies;
    /** The implicit RETURN step at the end of each user chain, by chain index, or {@code null}. */
    private final TraceStep[] returns;

    RuleSteps(TableBlob blob, String label) {
        this.blob = blob;
        this.label = label;
        rules = new TraceStep[blob.size()];
        policies = new TraceStep[blob.chains()];
        returns = new TraceStep[blob.chains()];
    }

    /**
     * Rule {@code r}'s step, reached through the chains {@code stack[0..depth)} then {@code chain};
     * {@code action} is a String, or a supplier whose words depend on the rule alone.
     */
    TraceStep rule(Hook hook, int r, int[] stack, int depth, int chain, int number, Object action) {
        TraceStep s = rules[r];
        if (s == null || s.hook() != hook || !sameAction(s, action) || !samePath(s, stack, depth, chain)) {
            Supplier<String> text = blob.rules[r]::saveText;
            List<String> path = path(stack, depth, chain);
            s = action instanceof String a
                    ? TraceStep.lazy(hook, label, path, number, text, a)
                    : TraceStep.lazy(hook, label, path, number, text, castSupplier(action));
            rules[r] = s;
        }
        return s;
    }

    /** The policy step of built-in chain {@code base} (its policy is the blob's, fixed with it). */
    TraceStep policy(Hook hook, int base) {
        TraceStep s = policies[base];
        if (s == null || s.hook() != hook) {
            s = new TraceStep(hook, label, List.of(blob.chainNames[base]), 0, null, "policy " + blob.policies[base]);
            policies[base] = s;
        }
        return s;
    }

    /** The implicit RETURN step of user chain {@code chain}, numbered {@code number}. */
    TraceStep chainReturn(Hook hook, int[] stack, int depth, int chain, int number) {
        TraceStep s = returns[chain];
        if (s == null || s.hook() != hook || !samePath(s, stack, depth, chain)) {
            s = new TraceStep(hook, label, path(stack, depth, chain), number, null, "return");
            returns[chain] = s;
        }
        return s;
    }

    /** Whether {@code s} was made with {@code action}: the same string, or the same rule's supplier. */
    private static boolean sameAction(TraceStep s, Object action) {
        Object had = s.rawAction();
        if (action instanceof String a) {
            return had instanceof String h ? h.equals(a) : Objects.equals(s.action(), a);
        }
        return !(had instanceof String) || had == action; // a rule-only supplier: any of the rule's
    }

    /** Whether {@code s}'s chain path is {@code stack[0..depth)} then {@code chain}, by the blob's names. */
    private boolean samePath(TraceStep s, int[] stack, int depth, int chain) {
        List<String> p = s.chainPath();
        if (p.size() != depth + 1 || p.get(depth) != blob.chainNames[chain]) {
            return false;
        }
        for (int i = 0; i < depth; i++) {
            if (p.get(i) != blob.chainNames[stack[i]]) {
                return false;
            }
        }
        return true;
    }

    /** The chains from the built-in one to {@code chain}, as an immutable list the step keeps. */
    private List<String> path(int[] stack, int depth, int chain) {
        String[] path = new String[depth + 1];
        for (int i = 0; i < depth; i++) {
            path[i] = blob.chainNames[stack[i]];
        }
        path[depth] = blob.chainNames[chain];
        return List.of(path);
    }

    @SuppressWarnings("unchecked")
    private static Supplier<String> castSupplier(Object action) {
        return (Supplier<String>) action;
    }
}
