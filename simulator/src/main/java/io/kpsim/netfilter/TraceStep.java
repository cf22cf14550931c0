package io.kpsim.netfilter;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One thing that happened to a packet at a node, for narration: a rule whose target ran (the
 * chain path shows the jumps that led there), a chain policy, conntrack's verdict, or a NAT
 * manipulation. Recorded only when the datapath traces.
 *
 * <p>A narrated run records steps for every packet at every node and prints those of a few, so
 * the rule text and the action may be given unformatted ({@link #lazy}, {@link #note(Hook,
 * String, Supplier)}): a supplier over immutable values, called on first read and then kept.
 *
 * <ul>
 *   <li>{@code hook}: where it happened</li>
 *   <li>{@code table}: {@code raw}, {@code mangle}, {@code nat}, {@code filter}, or {@code conntrack} /
 *       {@code nat-core} for the steps that are not rules</li>
 *   <li>{@code chainPath}: the chains from the built-in chain to the rule's chain; empty for non-rule steps</li>
 *   <li>{@code ruleNumber}: the 1-based rule number in the last chain of the path, 0 for a policy or
 *       non-rule step</li>
 *   <li>{@code rule}: the rule in save form, or {@code null}</li>
 *   <li>{@code action}: what happened, e.g. {@code DNAT to 10.244.1.3:8080}</li>
 * </ul>
 */
public final class TraceStep {

    private final Hook hook;
    private final String table;
    private final List<String> chainPath;
    private final int ruleNumber;
    /** A String, a {@code Supplier<String>} not called yet, or {@code null}; likewise {@link #action}. */
    private Object rule;

    private Object action;

    /** A step with its words given; copies the path. */
    public TraceStep(Hook hook, String table, List<String> chainPath, int ruleNumber, String rule, String action) {
        this(hook, table, chainPath, ruleNumber, (Object) rule, (Object) action);
    }

    private TraceStep(Hook hook, String table, List<String> chainPath, int ruleNumber, Object rule, Object action) {
        this.hook = hook;
        this.table = table;
        this.chainPath = List.copyOf(chainPath);
        this.ruleNumber = ruleNumber;
        this.rule = rule;
        this.action = action;
    }

    /** A rule step whose rule text is formatted when first read. */
    public static TraceStep lazy(
            Hook hook, String table, List<String> chainPath, int ruleNumber, Supplier<String> rule, String action) {
        return new TraceStep(hook, table, chainPath, ruleNumber, (Object) rule, (Object) action);
    }

    /** A rule step whose rule text and action are formatted when first read. */
    public static TraceStep lazy(
            Hook hook,
            String table,
            List<String> chainPath,
            int ruleNumber,
            Supplier<String> rule,
            Supplier<String> action) {
        return new TraceStep(hook, table, chainPath, ruleNumber, (Object) rule, (Object) action);
    }

    /** A step that is not a rule (conntrack, NAT core). */
    public static TraceStep note(Hook hook, String component, String action) {
        return new TraceStep(hook, component, List.of(), 0, null, action);
    }

    /** A step that is not a rule, its action formatted when first read. */
    public static TraceStep note(Hook hook, String component, Supplier<String> action) {
        return new TraceStep(hook, component, List.of(), 0, null, (Object) action);
    }

    /** Where it happened. */
    public Hook hook() {
        return hook;
    }

    /** The table, or {@code conntrack} / {@code nat-core} / {@code reject} for a step that is not a rule. */
    public String table() {
        return table;
    }

    /** The chains from the built-in chain to the rule's chain. */
    public List<String> chainPath() {
        return chainPath;
    }

    /** The 1-based rule number in the last chain of the path, 0 for a policy or non-rule step. */
    public int ruleNumber() {
        return ruleNumber;
    }

    /** The rule in save form, or {@code null}. */
    public String rule() {
        Object r = rule;
        if (r instanceof Supplier<?> s) {
            String text = (String) s.get();
            rule = text;
            return text;
        }
        return (String) r;
    }

    /** What happened. */
    public String action() {
        Object a = action;
        if (a instanceof Supplier<?> s) {
            String text = (String) s.get();
            action = text;
            return text;
        }
        return (String) a;
    }

    /** The action as given: a String, or a supplier not called yet ({@link RuleSteps} compares it). */
    Object rawAction() {
        return action;
    }

    /** Equal when every field's value is (the words formatted as needed), as records compare. */
    @Override
    public boolean equals(Object o) {
        return o instanceof TraceStep t
                && hook == t.hook
                && ruleNumber == t.ruleNumber
                && table.equals(t.table)
                && chainPath.equals(t.chainPath)
                && Objects.equals(rule(), t.rule())
                && Objects.equals(action(), t.action());
    }

    @Override
    public int hashCode() {
        return Objects.hash(hook, table, chainPath, ruleNumber, rule(), action());
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
        return s.append(": ").append(action()).toString();
    }
}
