package io.kpsim.netfilter;

import io.kpsim.netfilter.ipset.IpSets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code iptables-save} / {@code iptables-restore} text into a {@link Ruleset}, in both
 * dialects (kube-proxy's restore input and the kernel's save output). Understands {@code *table},
 * {@code :CHAIN POLICY [p:b]}, optional {@code [p:b]} rule counters, {@code -A}, {@code -I},
 * {@code -N}, {@code -X}, {@code -F}, {@code -P}, {@code COMMIT} and {@code #} comments.
 *
 * <p>Like {@code iptables-restore}, a table block replaces the whole table on COMMIT; with
 * {@code --noflush} (how kube-proxy calls it) only the chains the block declares are flushed and
 * the rest of the table is kept. Errors are one line, {@code line N: what}, in an
 * {@link IptablesTextException}.
 */
public final class IptablesRestore {

    private IptablesRestore() {}

    /**
     * The ruleset the text describes, starting from an empty node.
     *
     * @throws IptablesTextException {@code line N: ...} for the first bad line
     */
    public static Ruleset parse(String text) {
        return restore(Ruleset.empty(), text, false);
    }

    /**
     * The ruleset the text describes, for a node with {@code sets} (a {@code -m set} naming
     * another set is refused, as the kernel refuses it), with unknown match modules handled as
     * {@code unknown} says.
     *
     * @param sets the node's ipsets, or {@code null} not to check set names
     * @throws IptablesTextException {@code line N: ...} for the first bad line
     */
    public static Ruleset parse(String text, IpSets sets, UnknownModules unknown) {
        return restore(Ruleset.empty(), text, false, sets, unknown);
    }

    /**
     * Applies restore text to {@code base}.
     *
     * @param noflush {@code iptables-restore --noflush}: keep chains the text does not declare
     * @throws IptablesTextException {@code line N: ...} for the first bad line
     */
    public static Ruleset restore(Ruleset base, String text, boolean noflush) {
        return restore(base, text, noflush, null, UnknownModules.REFUSE);
    }

    private static Ruleset restore(Ruleset base, String text, boolean noflush, IpSets sets, UnknownModules unknown) {
        Ruleset result = base;
        Table table = null;
        Map<String, ChainDraft> chains = null;
        String[] lines = text.split("\n", -1);
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                if (line.startsWith("*")) {
                    if (table != null) {
                        throw new IllegalArgumentException(
                                "table " + table.label() + " not closed by COMMIT before " + line);
                    }
                    table = Table.byLabel(line.substring(1).strip());
                    chains = start(result.table(table), noflush);
                } else if (line.equals("COMMIT")) {
                    if (table == null) {
                        throw new IllegalArgumentException("COMMIT outside a table");
                    }
                    result = result.with(finish(table, chains));
                    table = null;
                    chains = null;
                } else if (table == null) {
                    throw new IllegalArgumentException(
                            "'" + line + "' outside a table (expected *raw, *mangle, *nat or *filter)");
                } else if (line.startsWith(":")) {
                    declare(table, chains, line);
                } else {
                    command(chains, line, sets, unknown);
                }
            } catch (IllegalArgumentException e) {
                // The parsers below refuse a word with IllegalArgumentException; this line is the input.
                throw new IptablesTextException("line " + lineNo + ": " + e.getMessage(), e);
            }
        }
        if (table != null) {
            throw new IptablesTextException("line " + lineNo + ": table " + table.label() + " has no COMMIT");
        }
        return result;
    }

    private static Map<String, ChainDraft> start(TableRules current, boolean noflush) {
        Map<String, ChainDraft> chains = new LinkedHashMap<>();
        for (Chain c : current.chains()) {
            if (c.builtin() || noflush) {
                ChainDraft d = new ChainDraft(c.policy());
                if (noflush) {
                    d.rules.addAll(c.rules());
                }
                chains.put(c.name(), d);
            }
        }
        return chains;
    }

    private static TableRules finish(Table table, Map<String, ChainDraft> chains) {
        List<Chain> out = new ArrayList<>();
        for (Map.Entry<String, ChainDraft> e : chains.entrySet()) {
            out.add(new Chain(e.getKey(), e.getValue().policy, e.getValue().rules));
        }
        return new TableRules(table, out);
    }

    private static void declare(Table table, Map<String, ChainDraft> chains, String line) {
        List<String> w = RuleText.split(line.substring(1));
        if (w.isEmpty() || w.size() > 3) {
            throw new IllegalArgumentException("chain line '" + line + "' (expected :NAME POLICY [packets:bytes])");
        }
        String name = w.get(0);
        String policyText = w.size() > 1 ? w.get(1) : "-";
        boolean builtin = isBuiltin(table, name);
        Policy policy;
        if (builtin) {
            if (policyText.equals("-")) {
                throw new IllegalArgumentException("built-in chain " + name + " needs a policy (ACCEPT or DROP)");
            }
            policy = policy(policyText);
        } else {
            if (!policyText.equals("-")) {
                throw new IllegalArgumentException("user chain " + name + " cannot have policy " + policyText);
            }
            policy = null;
        }
        ChainDraft d = chains.get(name);
        if (d == null) {
            chains.put(name, new ChainDraft(policy));
        } else {
            d.rules.clear();
            d.policy = policy;
        }
    }

    private static void command(Map<String, ChainDraft> chains, String line, IpSets sets, UnknownModules unknown) {
        List<String> w = RuleText.split(line);
        int i = 0;
        if (!w.isEmpty() && w.get(0).startsWith("[")) {
            i = 1; // [packets:bytes] counters of iptables-save -c
        }
        if (w.size() < i + 2) {
            throw new IllegalArgumentException("'" + line + "' (expected -A CHAIN rule...)");
        }
        String cmd = w.get(i);
        String name = w.get(i + 1);
        List<String> rest = w.subList(i + 2, w.size());
        switch (cmd) {
            case "-A", "--append" ->
                draft(chains, name).rules.add(RuleParser.parse(rest, chains.keySet(), sets, unknown));
            case "-I", "--insert" -> {
                int at = 1;
                if (!rest.isEmpty() && rest.get(0).matches("[0-9]+")) {
                    at = Integer.parseInt(rest.get(0));
                    rest = rest.subList(1, rest.size());
                }
                ChainDraft d = draft(chains, name);
                if (at < 1 || at > d.rules.size() + 1) {
                    throw new IllegalArgumentException(
                            "-I " + name + " " + at + ": chain has " + d.rules.size() + " rules");
                }
                d.rules.add(at - 1, RuleParser.parse(rest, chains.keySet(), sets, unknown));
            }
            case "-N", "--new-chain" -> {
                if (chains.containsKey(name)) {
                    throw new IllegalArgumentException("chain " + name + " already exists");
                }
                chains.put(name, new ChainDraft(null));
            }
            case "-X", "--delete-chain" -> {
                ChainDraft d = draft(chains, name);
                if (d.policy != null) {
                    throw new IllegalArgumentException("cannot delete built-in chain " + name);
                }
                chains.remove(name);
            }
            case "-F", "--flush" -> draft(chains, name).rules.clear();
            case "-P", "--policy" -> {
                ChainDraft d = draft(chains, name);
                if (d.policy == null || rest.size() != 1) {
                    throw new IllegalArgumentException("-P needs a built-in chain and ACCEPT or DROP");
                }
                d.policy = policy(rest.get(0));
            }
            default ->
                throw new IllegalArgumentException("unknown command '" + cmd + "' (expected -A, -I, -N, -X, -F or -P)");
        }
    }

    private static ChainDraft draft(Map<String, ChainDraft> chains, String name) {
        ChainDraft d = chains.get(name);
        if (d == null) {
            throw new IllegalArgumentException(
                    "chain " + name + " does not exist (declare it with :" + name + " - [0:0])");
        }
        return d;
    }

    private static boolean isBuiltin(Table table, String name) {
        for (Hook h : table.builtinChains()) {
            if (h.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static Policy policy(String text) {
        return switch (text) {
            case "ACCEPT" -> Policy.ACCEPT;
            case "DROP" -> Policy.DROP;
            default -> throw new IllegalArgumentException("policy '" + text + "' (expected ACCEPT or DROP)");
        };
    }

    /** A chain while its table block is read. */
    private static final class ChainDraft {
        Policy policy;
        final List<Rule> rules = new ArrayList<>();

        ChainDraft(Policy policy) {
            this.policy = policy;
        }
    }
}
