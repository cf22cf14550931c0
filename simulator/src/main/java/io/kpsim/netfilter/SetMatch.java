package io.kpsim.netfilter;

import io.kpsim.netfilter.ipset.IpSet;
import io.kpsim.netfilter.ipset.IpSets;

/**
 * {@code -m set [!] --match-set NAME src|dst[,src|dst...] [--return-nomatch]
 * [! --update-counters] [! --update-subcounters]} ({@code set_match_v4()} in
 * {@code net/netfilter/xt_set.c}, {@code ip_set_test()} in {@code ipset/ip_set_core.c}): the
 * packet's fields, one per direction flag, looked up in the node's ipset of that name
 * ({@link IpSet}). Fewer flags than the set has dimensions never match; {@code --return-nomatch}
 * turns a {@code nomatch} element into a match and a matching element into a miss. kpsim keeps no
 * set counters, so the counter flags only print.
 *
 * @param name the set
 * @param flags bit {@code i} set when dimension {@code i} is {@code src}
 * @param dim how many flags were given
 * @param negated {@code ! --match-set}
 * @param returnNomatch {@code --return-nomatch}
 * @param skipCounters {@code ! --update-counters}
 * @param skipSubcounters {@code ! --update-subcounters}
 */
public record SetMatch(
        String name,
        int flags,
        int dim,
        boolean negated,
        boolean returnNomatch,
        boolean skipCounters,
        boolean skipSubcounters)
        implements Match {

    @Override
    public boolean matches(Skb skb) {
        IpSets sets = skb.xt().ipsets();
        IpSet set = sets.get(name);
        boolean hit =
                set != null && set.matches(skb.packet(), flags, dim, returnNomatch, skb.now() / 1_000_000_000L, sets);
        return hit != negated;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -m set")
                .append(negated ? " ! --match-set " : " --match-set ")
                .append(name);
        for (int i = 0; i < dim; i++) {
            out.append(i == 0 ? ' ' : ',').append((flags & (1 << i)) != 0 ? "src" : "dst");
        }
        if (returnNomatch) {
            out.append(" --return-nomatch");
        }
        if (skipCounters) {
            out.append(" ! --update-counters");
        }
        if (skipSubcounters) {
            out.append(" ! --update-subcounters");
        }
    }

    /** Reads {@code -m set}'s options ({@code libxt_set}, revision 4). */
    static final class Options extends ModuleBuilder {
        private String name;
        private int flags;
        private int dim;
        private boolean negated;
        private boolean returnNomatch;
        private boolean skipCounters;
        private boolean skipSubcounters;

        @Override
        String name() {
            return "set";
        }

        @Override
        boolean accepts(String o) {
            return switch (o) {
                case "--match-set", "--set", "--return-nomatch", "--update-counters", "--update-subcounters" -> true;
                default -> false;
            };
        }

        @Override
        void option(String o, boolean neg, RuleWords words, RuleSoFar rule) {
            switch (o) {
                case "--match-set", "--set" -> {
                    if (name != null) {
                        throw new IllegalArgumentException("set: --match-set can be given only once");
                    }
                    name = words.value(o);
                    negated = neg;
                    String list = words.value(o);
                    String[] f = list.split(",", -1);
                    if (f.length > 6) {
                        throw new IllegalArgumentException("set: too many binding flags in '" + list + "' (at most 6)");
                    }
                    for (int i = 0; i < f.length; i++) {
                        if (f[i].equals("src")) {
                            flags |= 1 << i;
                        } else if (!f[i].equals("dst")) {
                            throw new IllegalArgumentException("set: bad flag '" + f[i] + "' (expected src or dst)");
                        }
                    }
                    dim = f.length;
                }
                case "--return-nomatch" -> {
                    noNegate(neg, o);
                    returnNomatch = true;
                }
                case "--update-counters" -> skipCounters = neg;
                default -> skipSubcounters = neg;
            }
        }

        @Override
        Match build(RuleSoFar rule) {
            if (name == null) {
                throw new IllegalArgumentException("set: you must specify --match-set");
            }
            IpSets sets = rule.ipsets();
            if (sets != null && sets.get(name) == null) {
                throw new IllegalArgumentException("Set " + name + " doesn't exist"
                        + (sets.size() == 0 ? " (give the node's sets with --ipset-save FILE)" : ""));
            }
            return new SetMatch(name, flags, dim, negated, returnNomatch, skipCounters, skipSubcounters);
        }
    }
}
