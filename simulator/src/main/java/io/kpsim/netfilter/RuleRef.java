package io.kpsim.netfilter;

/**
 * Which rule or policy decided a packet's fate, as {@code iptables -L --line-numbers} would name it.
 *
 * @param table the table
 * @param chain the chain holding the rule (the built-in chain for a policy)
 * @param ruleNumber the 1-based rule number, 0 for the chain's policy
 * @param rule the rule, {@code null} for a policy
 */
public record RuleRef(Table table, String chain, int ruleNumber, Rule rule) implements DecidingRule {

    /** E.g. {@code filter KUBE-FORWARD #1: -m conntrack --ctstate INVALID -j DROP} or {@code filter FORWARD policy}. */
    @Override
    public String toString() {
        if (rule == null) {
            return table.label() + " " + chain + " policy";
        }
        return table.label() + " " + chain + " #" + ruleNumber + ": " + rule.saveText();
    }
}
