package io.kpsim.netfilter.nftables;

import io.kpsim.netfilter.DecidingRule;

/**
 * An nftables rule or base-chain policy that decided a packet's fate, named the way
 * {@code nft monitor trace} does: table, chain and the rule (its position in the chain, counted
 * from 1, and its text), or the chain's policy.
 *
 * @param table the table, e.g. {@code ip kube-proxy}
 * @param chain the chain holding the rule (the base chain for a policy)
 * @param ruleNumber the rule's position, 0 for the policy
 * @param rule the rule's text, {@code null} for the policy
 * @param policy for a policy: {@code accept} or {@code drop}
 */
public record NftRuleRef(String table, String chain, int ruleNumber, String rule, String policy)
        implements DecidingRule {

    /** E.g. {@code ip kube-proxy reject-chain #1: reject} or {@code ip filter forward policy drop}. */
    @Override
    public String toString() {
        if (rule == null) {
            return table + " " + chain + " policy " + policy;
        }
        return table + " " + chain + " #" + ruleNumber + ": " + rule;
    }
}
