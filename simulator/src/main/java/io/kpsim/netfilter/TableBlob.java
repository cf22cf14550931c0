package io.kpsim.netfilter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One table's rules laid out flat, as {@code translate_table()} lays out the blob of a
 * {@code struct xt_table_info} (net/ipv4/netfilter/ip_tables.c): every rule in one array, each
 * chain a range of it ({@code hook_entry}/{@code underflow} for the built-in ones), each jump
 * resolved to the chain it enters, comment matches left out (they always match).
 *
 * <p>It is apart from {@link CompiledTable} so that the layout, built once when the rules change,
 * is read apart from {@code ipt_do_table()}, which runs on every packet. Immutable once built; the
 * arrays are shared with the walk, which only reads them.
 */
final class TableBlob {

    final Table table;
    final String[] chainNames;
    final Policy[] policies;
    /** The first flat rule index of each chain. */
    final int[] chainFirst;
    /** One past the last flat rule index of each chain. */
    final int[] chainEnd;

    final Rule[] rules;
    final Match[][] matches;
    final Target[] targets;
    final TargetKind[] kinds;
    /** The chain a JUMP rule enters, or -1. */
    final int[] jump;

    final boolean[] goTo;
    /** The built-in chain at each hook, or -1 when the table has none there. */
    final int[] hookChain = new int[Hook.values().length];
    /** Whether the hook's built-in chain is empty with policy ACCEPT (nothing to walk). */
    final boolean[] trivial = new boolean[Hook.values().length];

    final RuleRef[] ruleRefs;
    final RuleRef[] policyRefs;
    final DnatReach reach;
    /** Skips long runs of {@code -d A/32} rules for other addresses; {@code null} for a plain linear walk. */
    final DispatchIndex index;

    /**
     * Lays out {@code source}.
     *
     * @param indexed whether walks use a {@link DispatchIndex} (same results, fewer rules tested)
     */
    TableBlob(TableRules source, boolean indexed) {
        this.table = source.table();
        List<Chain> chains = source.chains();
        int n = chains.size();
        chainNames = new String[n];
        policies = new Policy[n];
        chainFirst = new int[n];
        chainEnd = new int[n];
        Map<String, Integer> byName = new HashMap<>();
        int total = 0;
        for (int c = 0; c < n; c++) {
            Chain chain = chains.get(c);
            chainNames[c] = chain.name();
            policies[c] = chain.policy();
            byName.put(chain.name(), c);
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
        ruleRefs = new RuleRef[total];
        for (int c = 0; c < n; c++) {
            List<Rule> list = chains.get(c).rules();
            for (int i = 0; i < list.size(); i++) {
                int r = chainFirst[c] + i;
                Rule rule = list.get(i);
                rules[r] = rule;
                matches[r] = conditions(rule);
                targets[r] = rule.target();
                kinds[r] = rule.target().kind();
                jump[r] = -1;
                if (rule.target() instanceof JumpTarget j) {
                    jump[r] = byName.get(j.chain());
                    goTo[r] = j.goTo();
                }
                ruleRefs[r] = new RuleRef(table, chainNames[c], i + 1, rule);
            }
        }
        reach = new DnatReach(chains, byName::get, total);
        DispatchIndex built = indexed ? DispatchIndex.build(matches, chainFirst, chainEnd) : null;
        // An index without segments sends every rule to itself: leave it out, so the walk does not
        // ask it once per rule (the filter and nat tables of most clusters have no run to skip).
        this.index = built != null && built.segments() > 0 ? built : null;
        for (Hook h : Hook.values()) {
            Integer c = table.hasHook(h) ? byName.get(h.name()) : null;
            hookChain[h.ordinal()] = c == null ? -1 : c;
            trivial[h.ordinal()] = c == null || (chainFirst[c] == chainEnd[c] && policies[c] == Policy.ACCEPT);
        }
        policyRefs = new RuleRef[n];
        for (int c = 0; c < n; c++) {
            policyRefs[c] = new RuleRef(table, chainNames[c], 0, null);
        }
    }

    /** A rule's matches without its comments, which always match and so are left out of the walk. */
    private static Match[] conditions(Rule rule) {
        List<Match> kept = new ArrayList<>(rule.matches().size());
        for (Match m : rule.matches()) {
            if (!(m instanceof CommentMatch)) {
                kept.add(m);
            }
        }
        return kept.toArray(new Match[0]);
    }

    /** The number of chains. */
    int chains() {
        return chainNames.length;
    }

    /** The number of rules, over all chains. */
    int size() {
        return rules.length;
    }

    /** The flat index of {@code chain}'s rule {@code index} (from 0). */
    int flatIndex(String chain, int index) {
        int c = chainIndex(chain);
        if (index < 0 || chainFirst[c] + index >= chainEnd[c]) {
            throw new IllegalArgumentException("chain " + chain + " has no rule " + (index + 1));
        }
        return chainFirst[c] + index;
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
