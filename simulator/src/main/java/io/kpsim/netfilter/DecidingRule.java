package io.kpsim.netfilter;

/**
 * The rule or chain policy that decided a packet's fate, whichever rule language it is written
 * in: an iptables rule ({@link RuleRef}) or an nftables rule.
 */
public interface DecidingRule {

    /** One line naming the rule, e.g. {@code filter KUBE-FORWARD #1: -m conntrack --ctstate INVALID -j DROP}. */
    @Override
    String toString();
}
