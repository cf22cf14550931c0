package io.kpsim.netfilter;

/**
 * One function registered at a netfilter hook ({@code struct nf_hook_ops}): an iptables table's
 * built-in chain, or an nftables base chain. A node runs the programs of a hook in priority order
 * ({@code nf_hook_slow()} over {@code nf_hook_entries}); a program's accept ends only itself, so
 * the next program at the hook still runs, and a drop ends the packet.
 *
 * <p>Programs of type nat ({@link #nat()}) are not called by the hook itself: like
 * {@code nf_nat_register_fn()} entries they run inside the NAT core's hook function
 * ({@code nf_nat_inet_fn()}, at {@link HookPriority#NAT_DST} or {@link HookPriority#NAT_SRC}),
 * in their own priority order, only for a packet whose connection has no binding of that hook's
 * manip type yet, and only until one of them sets one up.
 *
 * <p>Equal priorities run the later registered program first ({@code nf_hook_entries_grow()}
 * inserts a new entry before the first one whose priority is not lower).
 */
public interface HookProgram {

    /** The hook it is registered at. */
    Hook hook();

    /** Its priority at that hook (lower runs first). */
    int priority();

    /** Whether it is a NAT lookup function, run from the NAT core. */
    boolean nat();

    /** Whether running it can change nothing (an empty chain with policy accept): the walk skips it. */
    boolean trivial();

    /** Who it is in a trace, e.g. {@code filter} or {@code ip kube-proxy}. */
    String label();

    /**
     * Runs it on the packet in {@code context}.
     *
     * @return true for {@code NF_ACCEPT}, false for {@code NF_DROP} (a reject is a drop that
     *     called {@link HookContext#reject})
     */
    boolean run(HookContext context);
}
