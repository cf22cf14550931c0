package io.kpsim.netfilter;

import java.util.EnumSet;
import java.util.Set;

/**
 * The four iptables tables kpsim models, with the hooks each registers on and its priority
 * ({@code iptable_raw.c}, {@code iptable_mangle.c}, {@code iptable_nat.c}, {@code iptable_filter.c}).
 */
public enum Table {
    /** {@code raw}: before conntrack, for {@code NOTRACK}. */
    RAW("raw", HookPriority.RAW, EnumSet.of(Hook.PREROUTING, Hook.OUTPUT)),
    /** {@code mangle}: marks and DSCP, on every hook. */
    MANGLE("mangle", HookPriority.MANGLE, EnumSet.allOf(Hook.class)),
    /** {@code nat}: consulted only for the first packet of a connection (NEW/RELATED). */
    NAT("nat", HookPriority.NAT_DST, EnumSet.of(Hook.PREROUTING, Hook.INPUT, Hook.OUTPUT, Hook.POSTROUTING)),
    /** {@code filter}: the verdicts. */
    FILTER("filter", HookPriority.FILTER, EnumSet.of(Hook.INPUT, Hook.FORWARD, Hook.OUTPUT));

    private final String label;
    private final int priority;
    private final Set<Hook> hooks;

    Table(String label, int priority, Set<Hook> hooks) {
        this.label = label;
        this.priority = priority;
        this.hooks = hooks;
    }

    /** The name {@code iptables -t} takes and {@code iptables-save} prints after {@code *}. */
    public String label() {
        return label;
    }

    /**
     * The hook priority; for nat it is {@link HookPriority#NAT_DST} at PREROUTING/OUTPUT and
     * {@link HookPriority#NAT_SRC} at POSTROUTING/INPUT.
     */
    public int priority(Hook hook) {
        if (this == NAT && hook.manip() == NatManip.SRC) {
            return HookPriority.NAT_SRC;
        }
        return priority;
    }

    /** Whether this table has a built-in chain for {@code hook}. */
    public boolean hasHook(Hook hook) {
        return hooks.contains(hook);
    }

    /** The built-in chains of this table, in the order {@code iptables-save} lists them. */
    public Hook[] builtinChains() {
        return hooks.toArray(new Hook[0]);
    }

    /**
     * The table named {@code name}.
     *
     * @throws IllegalArgumentException naming the table when it is not one of raw, mangle, nat, filter
     */
    public static Table byLabel(String name) {
        for (Table t : values()) {
            if (t.label.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown table '" + name + "' (expected raw, mangle, nat or filter)");
    }
}
