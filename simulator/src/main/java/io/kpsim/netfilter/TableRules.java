package io.kpsim.netfilter;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chains of one table, checked the way the kernel checks a table blob on load
 * ({@code translate_table()}, {@code mark_source_chains()}, {@code xt_check_target()}): every
 * jump names an existing user chain, there are no loops, and each NAT or NOTRACK target sits in
 * its own table, reachable only from the hooks it supports.
 *
 * @param table which table
 * @param chains the built-in chains of the table in hook order, then the user chains sorted by
 *               name (their order has no meaning; sorted, as {@code libiptc} keeps them)
 */
public record TableRules(Table table, List<Chain> chains) {

    /** Adds missing built-in chains, orders them, and validates. */
    public TableRules {
        chains = normalize(table, chains);
        validate(table, chains);
    }

    /** A table with only its empty built-in chains, all with policy ACCEPT. */
    public static TableRules empty(Table table) {
        return new TableRules(table, List.of());
    }

    /** The chain called {@code name}, or {@code null}. */
    public Chain chain(String name) {
        for (Chain c : chains) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** This table with {@code chain} added or replaced (by name). */
    public TableRules with(Chain chain) {
        List<Chain> copy = new ArrayList<>(chains);
        boolean replaced = false;
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i).name().equals(chain.name())) {
                copy.set(i, chain);
                replaced = true;
            }
        }
        if (!replaced) {
            copy.add(chain);
        }
        return new TableRules(table, copy);
    }

    /** Whether the table has no rules, no user chains and only ACCEPT policies (as after module load). */
    public boolean pristine() {
        for (Chain c : chains) {
            if (!c.builtin() || !c.rules().isEmpty() || c.policy() != Policy.ACCEPT) {
                return false;
            }
        }
        return true;
    }

    private static List<Chain> normalize(Table table, List<Chain> given) {
        List<Chain> out = new ArrayList<>();
        for (Hook hook : table.builtinChains()) {
            Chain found = null;
            for (Chain c : given) {
                if (c.name().equals(hook.name())) {
                    found = c;
                }
            }
            if (found != null && !found.builtin()) {
                found = new Chain(found.name(), Policy.ACCEPT, found.rules());
            }
            out.add(found != null ? found : new Chain(hook.name(), Policy.ACCEPT, List.of()));
        }
        List<Chain> users = new ArrayList<>();
        for (Chain c : given) {
            if (!isBuiltinName(table, c.name())) {
                if (c.builtin()) {
                    throw new IllegalArgumentException("chain " + c.name() + " in table " + table.label()
                            + " is not built-in and cannot have a policy");
                }
                if (isHookName(c.name())) {
                    throw new IllegalArgumentException("table " + table.label() + " has no built-in chain " + c.name());
                }
                users.add(c);
            }
        }
        users.sort((a, b) -> a.name().compareTo(b.name())); // a lambda of ours, kept in the class-data archive
        out.addAll(users);
        return List.copyOf(out);
    }

    private static boolean isBuiltinName(Table table, String name) {
        for (Hook hook : table.builtinChains()) {
            if (hook.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHookName(String name) {
        for (Hook hook : Hook.values()) {
            if (hook.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static void validate(Table table, List<Chain> chains) {
        Map<String, Chain> byName = new HashMap<>();
        for (Chain c : chains) {
            if (byName.put(c.name(), c) != null) {
                throw new IllegalArgumentException("chain " + c.name() + " defined twice in table " + table.label());
            }
        }
        for (Chain c : chains) {
            for (Rule r : c.rules()) {
                if (r.target() instanceof JumpTarget j) {
                    Chain to = byName.get(j.chain());
                    if (to == null) {
                        throw new IllegalArgumentException("rule in " + c.name() + " jumps to unknown chain "
                                + j.chain() + " in table " + table.label());
                    }
                    if (to.builtin()) {
                        throw new IllegalArgumentException(
                                "rule in " + c.name() + " jumps to built-in chain " + j.chain());
                    }
                }
                checkTargetTable(table, c, r.target());
            }
        }
        for (Chain c : chains) {
            if (c.builtin()) {
                Hook hook = Hook.valueOf(c.name());
                walkReachable(table, c, hook, byName, new ArrayList<>(), new HashSet<>());
            }
        }
    }

    private static void checkTargetTable(Table table, Chain chain, Target target) {
        Table required = switch (target.kind()) {
            case DNAT, MASQUERADE, SNAT, REDIRECT -> Table.NAT;
            case REJECT -> Table.FILTER;
            case NOTRACK, CT_ZONE -> Table.RAW;
            case DSCP, TOS -> Table.MANGLE;
            case VERDICT, JUMP, MARK, LOG, CONNMARK, TCPMSS, NFLOG, CONTINUE -> table;
        };
        if (required != table) {
            throw new IllegalArgumentException("target in chain " + chain.name() + " is only valid in table "
                    + required.label() + ", not " + table.label());
        }
    }

    /** DFS from a built-in chain: finds loops and targets used from hooks they do not support. */
    private static void walkReachable(
            Table table, Chain chain, Hook hook, Map<String, Chain> byName, List<String> path, Set<String> done) {
        if (path.contains(chain.name())) {
            throw new IllegalArgumentException(
                    "chain loop in table " + table.label() + ": " + String.join(" -> ", path) + " -> " + chain.name());
        }
        if (!done.add(chain.name())) {
            return;
        }
        path.add(chain.name());
        for (Rule r : chain.rules()) {
            Target t = r.target();
            Set<Hook> allowed = allowedHooks(t);
            if (!allowed.contains(hook)) {
                throw new IllegalArgumentException(
                        "target in chain " + chain.name() + " (" + r.saveText() + ") cannot be used from " + hook);
            }
            for (Match m : r.matches()) {
                if (m instanceof AddrTypeMatch a) {
                    a.checkHook(hook, chain.name());
                }
            }
            if (t instanceof JumpTarget j) {
                walkReachable(table, byName.get(j.chain()), hook, byName, path, done);
            }
        }
        path.remove(path.size() - 1);
    }

    private static Set<Hook> allowedHooks(Target t) {
        return switch (t.kind()) {
            case DNAT, REDIRECT -> EnumSet.of(Hook.PREROUTING, Hook.OUTPUT);
            case MASQUERADE -> EnumSet.of(Hook.POSTROUTING);
            case SNAT -> EnumSet.of(Hook.POSTROUTING, Hook.INPUT);
            case REJECT -> EnumSet.of(Hook.INPUT, Hook.FORWARD, Hook.OUTPUT);
            case TCPMSS ->
                ((TcpmssTarget) t).mss() == TcpmssTarget.CLAMP_PMTU
                        ? EnumSet.of(Hook.FORWARD, Hook.OUTPUT, Hook.POSTROUTING) // tcpmss_tg4_check()
                        : EnumSet.allOf(Hook.class);
            case VERDICT, JUMP, MARK, LOG, DSCP, NOTRACK, CONNMARK, TOS, NFLOG, CT_ZONE, CONTINUE ->
                EnumSet.allOf(Hook.class);
        };
    }
}
