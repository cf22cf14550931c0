package io.kpsim.netfilter;

/**
 * Per-rule and per-policy packet and byte counters ({@code struct xt_counters}), as
 * {@code iptables-save -c} prints them. The datapath keeps them; {@link IptablesSave} reads them.
 */
public interface RuleCounters {

    /** Packets that matched rule {@code index} (0-based) of {@code chain}. */
    long packets(Table table, String chain, int index);

    /** Bytes of those packets. */
    long bytes(Table table, String chain, int index);

    /** Packets that took the built-in chain's policy. */
    long policyPackets(Table table, String chain);

    /** Bytes of those packets. */
    long policyBytes(Table table, String chain);
}
