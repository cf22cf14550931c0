package io.kpsim.netfilter.nftables;

import io.kpsim.netfilter.HookProgram;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * An nftables ruleset loaded into a node: one {@link HookProgram} per base chain of every table
 * that sees IPv4 packets ({@code ip} and {@code inet}), registered in creation order, and the
 * state rules change while packets run through them (dynamic set elements, counters,
 * {@code numgen inc} counters).
 *
 * <p>The node's datapath runs these programs interleaved by priority with its iptables tables
 * and with each other. Not thread-safe: one node, one thread.
 */
public final class NftEngine {

    private final NftRuleset ruleset;
    private final State state = new State();
    private final List<HookProgram> programs = new ArrayList<>();

    /**
     * Loads {@code ruleset}.
     *
     * @throws IllegalArgumentException when it refers to a chain or set that does not exist
     *     (rulesets read by {@link NftParser} have been checked already)
     */
    public NftEngine(NftRuleset ruleset) {
        this.ruleset = ruleset;
        NftValidator.check(ruleset);
        for (NftTable t : ruleset.tables()) {
            if (!t.family().seesIpv4()) {
                continue;
            }
            for (NftChain c : t.chains()) {
                if (c.isBase()) {
                    programs.add(new BaseChainProgram(t, c, state));
                }
            }
        }
    }

    /** The base chains, in registration order. */
    public List<HookProgram> programs() {
        return List.copyOf(programs);
    }

    /** The ruleset as loaded. */
    public NftRuleset ruleset() {
        return ruleset;
    }

    /**
     * The ruleset as {@code nft list ruleset} would show it at {@code nowNanos}: counters with
     * what they counted, dynamic sets with the elements rules added (and how long they have left).
     */
    public NftRuleset snapshot(long nowNanos) {
        List<NftTable> tables = new ArrayList<>();
        for (NftTable t : ruleset.tables()) {
            List<NftSet> sets = new ArrayList<>();
            for (NftSet s : t.sets()) {
                LiveSet live = state.liveNamed(t, s.name());
                if (live == null) {
                    sets.add(s);
                    continue;
                }
                List<SetElement> elements = new ArrayList<>(s.elements());
                elements.addAll(live.addedAlive(nowNanos));
                sets.add(s.withElements(elements));
            }
            List<NftChain> chains = new ArrayList<>();
            for (NftChain c : t.chains()) {
                List<NftRule> rules = new ArrayList<>();
                for (NftRule r : c.rules()) {
                    List<Statement> stmts = new ArrayList<>();
                    for (Statement st : r.statements()) {
                        stmts.add(st instanceof CounterStmt counter ? state.counted(counter) : st);
                    }
                    rules.add(new NftRule(stmts, r.comment()));
                }
                chains.add(c.withRules(rules));
            }
            tables.add(new NftTable(t.family(), t.name(), t.comment(), sets, chains));
        }
        return new NftRuleset(tables);
    }

    /** What rules change: live sets, counters, numgen counters. */
    static final class State {

        private final Map<NftTable, Map<String, LiveSet>> named = new IdentityHashMap<>();
        private final Map<NftSet, LiveSet> anonymous = new IdentityHashMap<>();
        private final Map<CounterStmt, long[]> counters = new IdentityHashMap<>();
        private final Map<NumgenExpr, int[]> increments = new IdentityHashMap<>();

        /** The live copy of named set {@code name} of {@code table}, made on first use. */
        LiveSet named(NftTable table, String name) {
            Map<String, LiveSet> sets = named.computeIfAbsent(table, t -> new HashMap<>());
            LiveSet s = sets.get(name);
            if (s == null) {
                NftSet declared = table.set(name);
                if (declared == null) {
                    throw new IllegalStateException("table " + table.label() + " has no set " + name);
                }
                s = new LiveSet(declared);
                sets.put(name, s);
            }
            return s;
        }

        /** The live copy if one was made. */
        LiveSet liveNamed(NftTable table, String name) {
            Map<String, LiveSet> sets = named.get(table);
            return sets == null ? null : sets.get(name);
        }

        /** The compiled form of an inline set. */
        LiveSet anonymous(NftSet set) {
            return anonymous.computeIfAbsent(set, LiveSet::new);
        }

        void count(CounterStmt counter, int bytes) {
            long[] c = counters.computeIfAbsent(counter, k -> new long[] {k.packets(), k.bytes()});
            c[0]++;
            c[1] += bytes;
        }

        /** The counter with what it counted. */
        CounterStmt counted(CounterStmt counter) {
            long[] c = counters.get(counter);
            return c == null ? counter : new CounterStmt(c[0], c[1]);
        }

        /** {@code nft_ng_inc_gen()}: the counter starts at modulus - 1, so the first value is 0. */
        int increment(NumgenExpr expr) {
            int[] c = increments.computeIfAbsent(expr, e -> new int[] {e.modulus() - 1});
            c[0] = c[0] + 1 < expr.modulus() ? c[0] + 1 : 0;
            return c[0];
        }
    }
}
