package io.kpsim.netfilter;

import java.util.ArrayList;
import java.util.List;

/**
 * One iptables rule ({@code struct ipt_entry}): conditions that must all hold, and a target.
 * The conditions are kept as the kernel keeps them: the {@code ipt_ip} header part
 * ({@code -s -d -i -o -p}) first, checked by {@code ip_packet_match()}, then the match modules in
 * the order given. The order matters: a {@code -m statistic} draw happens only when everything
 * before it matched.
 *
 * @param matches the conditions, normalized to the kernel's order
 * @param target what to do when they all hold
 */
public record Rule(List<Match> matches, Target target) {

    /** Copies the list and validates. */
    public Rule {
        if (target == null) {
            throw new IllegalArgumentException("a rule needs a target (-j or -g)");
        }
        List<Match> ordered = new ArrayList<>(matches);
        ordered.sort(
                (a, b) -> Integer.compare(a.saveRank(), b.saveRank())); // archived for start-up; Comparator's are not
        matches = List.copyOf(ordered);
    }

    /** Whether every condition holds for the packet as it is now (in order; stops at the first miss). */
    public boolean matches(Skb skb) {
        for (Match m : matches) {
            if (!m.matches(skb)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The rule as the kernel's {@code iptables-save} prints it, without {@code -A CHAIN}: the
     * {@code ipt_ip} part first ({@code -s -d -i -o -p}), then the modules in rule order, then
     * the target (nothing for a rule without one, {@link ContinueTarget}).
     */
    public String saveText() {
        StringBuilder out = new StringBuilder(96);
        for (Match m : matches) {
            m.save(out);
        }
        target.save(out);
        // a rule with neither matches nor a target saves as a bare "-A CHAIN"
        return out.isEmpty() ? "" : out.substring(1);
    }

    @Override
    public String toString() {
        return saveText();
    }
}
