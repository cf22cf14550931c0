package io.kpsim.netfilter;

import io.kpsim.netfilter.ipset.IpSets;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What one network namespace keeps for its match modules outside the rules themselves: the
 * ipsets {@code -m set} tests ({@code struct ip_set_net}), the {@code -m recent} tables by name
 * ({@code struct recent_net}), and the private state the kernel allocates per rule at load
 * ({@code xt_limit_priv}'s token bucket, {@code xt_statistic_priv}'s nth counter), kept here by
 * the identity of the rule's match so that each node (namespace) has its own even when two nodes
 * load the same parsed rules. Replacing the rules ({@link #rulesReplaced()}) starts the per-rule
 * state afresh, as {@code iptables-restore} allocates new private data; recent tables and sets
 * outlive a restore, as in the kernel.
 */
public final class XtNetns {

    private IpSets sets = IpSets.NONE;
    private final Map<String, RecentTable> recent = new HashMap<>();
    private final Map<Match, long[]> ruleState = new IdentityHashMap<>();

    /** The namespace's ipsets ({@link IpSets#NONE} until some are loaded). */
    public IpSets ipsets() {
        return sets;
    }

    /** Loads the namespace's ipsets (as {@code ipset restore} would). */
    public void ipsets(IpSets loaded) {
        this.sets = loaded == null ? IpSets.NONE : loaded;
    }

    /** The {@code -m recent} table called {@code name}, created empty on first use. */
    RecentTable recent(String name) {
        return recent.computeIfAbsent(name, RecentTable::new);
    }

    /** How many addresses the recent table {@code name} holds (0 when it does not exist). */
    public int recentSize(String name) {
        RecentTable t = recent.get(name);
        return t == null ? 0 : t.size();
    }

    /**
     * The private state of {@code match} in this namespace: {@code size} longs, filled by
     * {@code init} on first use ({@code checkentry}'s allocation).
     */
    long[] ruleState(Match match, int size, java.util.function.Consumer<long[]> init) {
        long[] s = ruleState.get(match);
        if (s == null) {
            s = new long[size];
            init.accept(s);
            ruleState.put(match, s);
        }
        return s;
    }

    /** The rules were replaced: per-rule state starts afresh. */
    void rulesReplaced() {
        ruleState.clear();
    }
}
