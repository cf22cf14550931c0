package io.kpsim.netfilter;

import java.util.ArrayList;
import java.util.List;

/**
 * A chain of one table: a built-in chain (named after its hook, with a policy) or a user chain
 * (reached only by jumps, no policy).
 *
 * @param name the chain name ({@code PREROUTING}, {@code KUBE-SERVICES}, ...)
 * @param policy the built-in chain's policy, {@code null} for a user chain
 * @param rules the rules in evaluation order
 */
public record Chain(String name, Policy policy, List<Rule> rules) {

    /** Copies the list and validates the name. */
    public Chain {
        if (name == null || name.isEmpty() || name.length() > 28) {
            throw new IllegalArgumentException("chain name '" + name + "' must be 1..28 characters");
        }
        rules = List.copyOf(rules);
    }

    /** An empty user chain. */
    public static Chain user(String name) {
        return new Chain(name, null, List.of());
    }

    /** Whether this is a built-in chain. */
    public boolean builtin() {
        return policy != null;
    }

    /** This chain with {@code rule} appended ({@code -A}). */
    public Chain append(Rule rule) {
        List<Rule> copy = new ArrayList<>(rules);
        copy.add(rule);
        return new Chain(name, policy, copy);
    }

    /** This chain with {@code rule} inserted first ({@code -I CHAIN 1}, kube-proxy's {@code Prepend}). */
    public Chain prepend(Rule rule) {
        List<Rule> copy = new ArrayList<>(rules.size() + 1);
        copy.add(rule);
        copy.addAll(rules);
        return new Chain(name, policy, copy);
    }
}
