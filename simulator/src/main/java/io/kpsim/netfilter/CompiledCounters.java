package io.kpsim.netfilter;

/**
 * {@link RuleCounters} read live from a node's compiled tables (the per-rule {@code pcnt}/{@code bcnt}
 * of {@code struct xt_counters}, kept by {@link CompiledTable}): the array is the node's own, whose
 * elements {@link NodeDatapath#rules} replaces, so a reader sees the tables in force.
 */
final class CompiledCounters implements RuleCounters {

    private final CompiledTable[] compiled;

    /** @param compiled the node's tables by {@link Table} ordinal */
    CompiledCounters(CompiledTable[] compiled) {
        this.compiled = compiled;
    }

    @Override
    public long packets(Table table, String chain, int index) {
        CompiledTable t = compiled[table.ordinal()];
        return t.packets[t.flatIndex(chain, index)];
    }

    @Override
    public long bytes(Table table, String chain, int index) {
        CompiledTable t = compiled[table.ordinal()];
        return t.bytes[t.flatIndex(chain, index)];
    }

    @Override
    public long policyPackets(Table table, String chain) {
        CompiledTable t = compiled[table.ordinal()];
        return t.policyPackets[t.chainIndex(chain)];
    }

    @Override
    public long policyBytes(Table table, String chain) {
        CompiledTable t = compiled[table.ordinal()];
        return t.policyBytes[t.chainIndex(chain)];
    }
}
