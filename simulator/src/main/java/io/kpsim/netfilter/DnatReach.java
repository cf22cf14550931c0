package io.kpsim.netfilter;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Which DNAT destinations each {@code -m statistic} rule of a table leads to, so a walk can be
 * <em>steered</em>: when the destination a connection really got is known (from the node's own
 * copy of the packet in a capture), each random draw is answered the way that reaches it, and the
 * model takes the kernel's endpoint instead of one of its own.
 *
 * <p>Why per rule: kube-proxy picks an endpoint with a cascade of {@code -m statistic --mode
 * random --probability 1/(n-i)} rules, each jumping to one {@code KUBE-SEP} chain that DNATs. A
 * rule "leads to" a destination when its target, followed through jumps and gotos, can reach a
 * {@code DNAT --to-destination} of it. A draw is steered only when the rule's chain can reach the
 * wanted destination at all; otherwise it is drawn from the node's seeded stream as before.
 * Destinations are keyed as {@code ip << 16 | port} (port 0: DNAT keeps the packet's port).
 */
final class DnatReach {

    /** Per rule: the sorted keys its target reaches, or {@code null} for rules without a statistic match. */
    private final long[][] byRule;
    /** Per chain: the sorted keys reachable from it. */
    private final long[][] byChain;

    /**
     * @param chains the table's chains, in the compiled order
     * @param chainOf the chain index of each jump target name
     */
    DnatReach(List<Chain> chains, ToIntFunction<String> chainOf, int totalRules) {
        int n = chains.size();
        byChain = new long[n][];
        for (int c = 0; c < n; c++) {
            byChain[c] = sorted(reach(chains, chainOf, c, new HashSet<>()));
        }
        byRule = new long[totalRules][];
        int r = 0;
        for (Chain chain : chains) {
            for (Rule rule : chain.rules()) {
                if (hasStatistic(rule)) {
                    byRule[r] = sorted(targetReach(chains, chainOf, rule.target(), new HashSet<>()));
                }
                r++;
            }
        }
    }

    /** The key of a destination. */
    static long key(int ip, int port) {
        return ((ip & 0xffffffffL) << 16) | port;
    }

    /** Whether rule {@code rule} has a statistic match whose draws can be steered. */
    boolean steerable(int rule) {
        return byRule[rule] != null;
    }

    /**
     * How rule {@code rule} (in chain {@code chain}) should draw for a packet that must reach
     * {@code wanted}: {@link Skb#TAKE}, {@link Skb#PASS}, or {@link Skb#UNSTEERED} when the chain
     * cannot reach it at all.
     */
    int decide(int rule, int chain, long wanted) {
        if (!contains(byChain[chain], wanted)) {
            return Skb.UNSTEERED;
        }
        return contains(byRule[rule], wanted) ? Skb.TAKE : Skb.PASS;
    }

    private static boolean contains(long[] keys, long wanted) {
        long address = wanted & ~0xffffL;
        if (wanted == address) { // only the address is wanted: any port of it
            int at = Arrays.binarySearch(keys, address);
            int next = at >= 0 ? at : -at - 1;
            return next < keys.length && (keys[next] & ~0xffffL) == address;
        }
        // a DNAT without a port keeps the packet's: it reaches the wanted address on any port
        return Arrays.binarySearch(keys, wanted) >= 0 || Arrays.binarySearch(keys, address) >= 0;
    }

    private static Set<Long> reach(
            List<Chain> chains, ToIntFunction<String> chainOf, int chain, Set<Integer> visiting) {
        Set<Long> keys = new HashSet<>();
        if (!visiting.add(chain)) {
            return keys; // iptables refuses loops; a repeated chain adds nothing new
        }
        for (Rule rule : chains.get(chain).rules()) {
            keys.addAll(targetReach(chains, chainOf, rule.target(), visiting));
        }
        return keys;
    }

    private static Set<Long> targetReach(
            List<Chain> chains, ToIntFunction<String> chainOf, Target target, Set<Integer> visiting) {
        if (target instanceof DnatTarget d) {
            return Set.of(key(d.ip(), d.port()));
        }
        if (target instanceof JumpTarget j) {
            return reach(chains, chainOf, chainOf.applyAsInt(j.chain()), new HashSet<>(visiting));
        }
        return Set.of();
    }

    private static boolean hasStatistic(Rule rule) {
        for (Match m : rule.matches()) {
            if (m instanceof StatisticMatch) {
                return true;
            }
        }
        return false;
    }

    private static long[] sorted(Set<Long> keys) {
        long[] a = new long[keys.size()];
        int i = 0;
        for (long key : keys) {
            a[i++] = key;
        }
        Arrays.sort(a);
        return a;
    }
}
