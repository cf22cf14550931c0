package io.kpsim.conntrack;

import io.kpsim.conntrack.profile.Kernel;
import io.kpsim.conntrack.profile.Switch;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The per-namespace counters {@code conntrack -S} prints ({@code struct ip_conntrack_stat},
 * {@code ctnetlink_ct_stat_cpu_fill_info()}), with the meaning each has in the kernels kpsim
 * models ({@code nf_conntrack_core.c}, 4.19.255 and 6.18.2 read):
 *
 * @param found {@code nf_conntrack_tuple_taken()} found the tuple NAT asked about taken (ordinary
 *     lookups never count)
 * @param invalid packets left without a conntrack: unparsable, refused by a tracker, no entry
 *     could be created; up to 5.0 also each {@code -NF_REPEAT} ({@link Switch#REPEAT_NOT_COUNTED_INVALID}),
 *     and up to 5.4 each refused ICMP error ({@link Switch#ICMP_ERROR_COUNTS_ERROR_ONLY})
 * @param ignore up to 5.4: packets that already carried a conntrack or were {@code NOTRACK}ed (never
 *     TCP's ignored packets); the counter is gone from 5.10 ({@link Switch#IGNORE_COUNTER_REMOVED})
 * @param insert entries inserted through ctnetlink ({@code nf_conntrack_hash_check_insert()}); kpsim
 *     has no ctnetlink, so 0
 * @param insertFailed confirmations that clashed: up to 5.4 resolved clashes too, from 5.6 only
 *     unresolved ones and too long chains
 * @param drop packets conntrack dropped: table full, failed reopen, unresolved clash
 * @param earlyDrop entries {@code early_drop()} deleted to make room (the gc worker's evictions do
 *     not count)
 * @param error up to 4.19 packets refused by an l4 {@code ->error()} callback (TCP, UDP, ICMP);
 *     from 5.0 refused ICMP errors only ({@link Switch#L4_ERROR_AFTER_LOOKUP})
 * @param clashResolve from 5.6: clashes resolved by merging or by a reply-only entry
 * @param chainTooLong from 5.15: confirmations refused for a too long bucket chain
 */
public record ConntrackStats(
        long found,
        long invalid,
        long ignore,
        long insert,
        long insertFailed,
        long drop,
        long earlyDrop,
        long error,
        long clashResolve,
        long chainTooLong) {

    /**
     * The counters {@code kernel} sends, by the names {@code conntrack -S} prints, in its order
     * ({@code CTA_STATS_*}); {@code search_restart} is always 0 (kpsim has no concurrent resizes).
     */
    public Map<String, Long> asMap(Kernel kernel) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("found", found);
        m.put("invalid", invalid);
        if (!kernel.has(Switch.IGNORE_COUNTER_REMOVED)) {
            m.put("ignore", ignore);
        }
        m.put("insert", insert);
        m.put("insert_failed", insertFailed);
        m.put("drop", drop);
        m.put("early_drop", earlyDrop);
        m.put("error", error);
        m.put("search_restart", 0L);
        if (kernel.has(Switch.CLASH_INSERT_NAT_CLASH)) {
            m.put("clash_resolve", clashResolve);
        }
        if (kernel.has(Switch.CHAIN_TOO_LONG)) {
            m.put("chaintoolong", chainTooLong);
        }
        return m;
    }

    /** One line as {@code conntrack -S} prints a CPU's counters: {@code found=0 invalid=3 ...}. */
    public String line(Kernel kernel) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Long> e : asMap(kernel).entrySet()) {
            if (s.length() > 0) {
                s.append(' ');
            }
            s.append(e.getKey()).append('=').append(e.getValue());
        }
        return s.toString();
    }
}
