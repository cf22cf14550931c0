package io.kpsim.netfilter;

/**
 * One iptables table's built-in chain at one hook as a {@link HookProgram}, the way
 * {@code iptable_filter.c} and its siblings register {@code ipt_do_table()} (the nat table
 * through the NAT core, {@code nf_nat_ipv4_register_fn()}). Accepts are recorded as deciding only
 * in the filter table.
 */
final class IptablesProgram implements HookProgram {

    private final Table table;
    private final Hook hook;
    private final CompiledTable compiled;
    private final NatTargets nat;

    IptablesProgram(Table table, Hook hook, CompiledTable compiled, NatTargets nat) {
        this.table = table;
        this.hook = hook;
        this.compiled = compiled;
        this.nat = nat;
    }

    @Override
    public Hook hook() {
        return hook;
    }

    @Override
    public int priority() {
        return table.priority(hook);
    }

    @Override
    public boolean nat() {
        return table == Table.NAT;
    }

    @Override
    public boolean trivial() {
        return compiled.trivial(hook);
    }

    @Override
    public String label() {
        return table.label();
    }

    @Override
    public boolean run(HookContext context) {
        int d = compiled.walk(hook, context.skb(), nat, context.trace());
        RuleRef ref = compiled.ref(d);
        if ((d & CompiledTable.DROP) != 0) {
            context.decidedBy(ref);
            return false;
        }
        if (table == Table.FILTER) {
            context.decidedBy(ref);
        }
        return true;
    }

    @Override
    public String toString() {
        return "iptables " + table.label() + " " + hook;
    }
}
